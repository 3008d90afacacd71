#!/usr/bin/env bash
# Local infrastructure without Docker: PostgreSQL (Debian package, private data dir)
# and Apache Kafka 3.9.1 in KRaft mode (jars from Maven Central).
#
#   deploy/local/stack.sh up|down|status|env|reset|gateway-up|gateway-down|gateway-install
#
# The gateway (nginx from Debian's packages, port GATEWAY_PORT 8080) is started by start.sh once the
# services listen (gateway-up) and stopped by stop.sh (gateway-down); its configuration is
# deploy/gateway/nginx.conf, the same routes and limits as docker compose and Kubernetes use.
#
# State (data, logs, pid files, kafka jars) lives in $STACK_DIR (default <repo>/.stack).
# Ports: PG_PORT (5432), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_SASL_PORT (9094).
#
# Kafka listens twice on loopback: PLAINTEXT on KAFKA_PORT, which the services and tests use, and
# SASL_SSL on KAFKA_SASL_PORT (SCRAM-SHA-512, user backbone), which the test of KAFKA_SSL/KAFKA_SASL_*
# uses (ADR 0102). Its certificate, signed by a CA of the stack's own, is made with openssl in
# $STACK_DIR/kafka/tls/ (the CA: ca.pem); `env` prints the endpoint, the CA file and the credentials.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
STACK_DIR="${STACK_DIR:-$REPO_ROOT/.stack}"
PG_PORT="${PG_PORT:-5432}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_SASL_PORT="${KAFKA_SASL_PORT:-9094}"
KAFKA_READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"
# The broker's session with its controller (see kafka_config): what a restart after kill -9 waits for.
KAFKA_BROKER_SESSION_MS="${KAFKA_BROKER_SESSION_MS:-3000}"
PG_READY_TIMEOUT="${PG_READY_TIMEOUT:-60}"

DB_USER=backbone
DB_PASSWORD=backbone
DATABASES=(approval supervision enforcement credit integration inspection console)
# The SCRAM-SHA-512 user of the secured listener (a local credential, like DB_PASSWORD).
SCRAM_USER=backbone
SCRAM_PASSWORD=backbone-scram-secret

RUN_DIR="$STACK_DIR/run"
LOG_DIR="$STACK_DIR/logs"
# PostgreSQL's own files (data, socket, server log) live where the postgres OS user can reach them:
# under $STACK_DIR/pg normally, elsewhere when the clone sits under a directory only its owner may
# enter (root's /root is mode 700). See pg_locate.
PG_ROOT="$STACK_DIR/pg"
PG_DATA="$PG_ROOT/data"
PG_RUN="$RUN_DIR"
PG_LOG="$LOG_DIR/postgres.log"
KAFKA_DIR="$STACK_DIR/kafka"
KAFKA_LIBS="$KAFKA_DIR/libs"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_PROPS="$KAFKA_DIR/server.properties"
KAFKA_PID="$RUN_DIR/kafka.pid"
KAFKA_OUT="$LOG_DIR/kafka.log"
KAFKA_SERVER_LOG="$LOG_DIR/kafka-server.log"
KAFKA_POM="$SCRIPT_DIR/kafka/pom.xml"
KAFKA_TLS="$KAFKA_DIR/tls"
# Written once the SCRAM user exists on the cluster (its name and its password's hash): `up` adds the
# user to a stack formatted before the secured listener existed, once.
KAFKA_SCRAM_DONE="$KAFKA_DIR/scram-user"

export DEBIAN_FRONTEND=noninteractive

log() { printf '[stack] %s\n' "$*"; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as root (directly, or via passwordless sudo).
as_root() {
  if is_root; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n -E "$@"
  else die "need root to run: $* (install it by hand or re-run as root)"
  fi
}

APT_UPDATED=0
apt_install() {
  local apt_log="$LOG_DIR/apt.log"
  mkdir -p "$LOG_DIR"
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    as_root apt-get update -q >>"$apt_log" 2>&1 || die "apt-get update failed, see $apt_log"
    APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >>"$apt_log" 2>&1 \
    || die "apt-get install $* failed, see $apt_log"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }


# ---------------------------------------------------------------- PostgreSQL

PG_BIN=""
find_pg_bin() {
  local cand=""
  # Highest installed major version first, then whatever is on PATH.
  local f
  for f in "${PG_LIB_ROOT:-/usr/lib/postgresql}"/*/bin/initdb; do
    [ -x "$f" ] && cand="$(printf '%s\n%s\n' "$cand" "$f" | sed '/^$/d' | sort -V | tail -n1)"
  done
  if [ -z "$cand" ] && command -v initdb >/dev/null 2>&1; then
    cand="$(readlink -f "$(command -v initdb)")"
  fi
  [ -n "$cand" ] || return 1
  PG_BIN="$(dirname "$cand")"
  [ -x "$PG_BIN/pg_ctl" ] && [ -x "$PG_BIN/pg_isready" ] && [ -x "$PG_BIN/psql" ]
}

# Run a PostgreSQL server binary as the postgres OS user when we are root.
as_pg() {
  if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# The nearest existing directory at or above $1.
existing_parent() {
  local dir="$1"
  while [ ! -e "$dir" ]; do dir="$(dirname "$dir")"; done
  echo "$dir"
}

# Where PostgreSQL keeps its files for this STACK_DIR. Run as root, the server runs as the postgres
# user, which must be able to enter every directory above its data: when it cannot enter STACK_DIR,
# its files go to /var/lib/postgresql/backbone/<hash of STACK_DIR> (PG_FALLBACK_ROOT), and
# $STACK_DIR/pg-location says where.
pg_locate() {
  PG_ROOT="$STACK_DIR/pg"
  PG_RUN="$RUN_DIR"
  PG_LOG="$LOG_DIR/postgres.log"
  if is_root && getent passwd postgres >/dev/null 2>&1 \
    && ! runuser -u postgres -- test -x "$(existing_parent "$STACK_DIR")" 2>/dev/null; then
    PG_ROOT="${PG_FALLBACK_ROOT:-/var/lib/postgresql/backbone}/$(printf '%s' "$STACK_DIR" | sha256sum | cut -c1-16)"
    PG_RUN="$PG_ROOT/run"
    PG_LOG="$PG_ROOT/postgres.log"
  fi
  PG_DATA="$PG_ROOT/data"
}

pg_running() {
  [ -f "$PG_DATA/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

psql_admin() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_RUN" -p "$PG_PORT" -U postgres -d postgres "$@"
}

pg_up() {
  if ! find_pg_bin; then
    log "PostgreSQL server not found, installing the Debian package"
    apt_install postgresql
    find_pg_bin || die "PostgreSQL installed but initdb/pg_ctl/pg_isready/psql not found under /usr/lib/postgresql/*/bin"
  fi
  if is_root; then
    getent passwd postgres >/dev/null || die "OS user 'postgres' is missing (it comes with the postgresql package)"
  fi
  pg_locate
  mkdir -p "$PG_ROOT" "$PG_RUN" "$RUN_DIR" "$LOG_DIR"
  if [ "$PG_ROOT" != "$STACK_DIR/pg" ]; then
    echo "$PG_ROOT" >"$STACK_DIR/pg-location"
    log "postgres: the postgres user cannot enter $STACK_DIR; its files are in $PG_ROOT"
  fi
  touch "$PG_LOG"
  if is_root; then
    chown postgres: "$PG_ROOT" "$PG_RUN" "$PG_LOG"
    runuser -u postgres -- test -w "$PG_ROOT" || die "user postgres cannot write to $PG_ROOT"
  fi

  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "postgres: initdb $PG_DATA ($("$PG_BIN/postgres" --version))"
    rm -rf "$PG_DATA"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --no-locale \
      --auth-local=trust --auth-host=scram-sha-256 >"$LOG_DIR/initdb.log" 2>&1 \
      || die "initdb failed, see $LOG_DIR/initdb.log"
  fi

  if pg_running; then
    log "postgres: already running on 127.0.0.1:$PG_PORT"
  else
    port_open "$PG_PORT" && die "port $PG_PORT is already in use by another process (system PostgreSQL?); stop it or set PG_PORT"
    log "postgres: starting on 127.0.0.1:$PG_PORT"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -s -o "$(pg_server_options)" start \
      || die "postgres failed to start, see $PG_LOG"
  fi

  local deadline=$((SECONDS + PG_READY_TIMEOUT))
  until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; do
    [ "$SECONDS" -lt "$deadline" ] || die "postgres not ready after ${PG_READY_TIMEOUT}s, see $PG_LOG"
    sleep 0.5
  done

  if [ "$(psql_admin -tAc "select 1 from pg_roles where rolname = '$DB_USER'")" != 1 ]; then
    psql_admin -c "create role $DB_USER login superuser password '$DB_PASSWORD'" || die "creating role $DB_USER failed"
    log "postgres: created role $DB_USER"
  fi
  local db created=()
  for db in "${DATABASES[@]}"; do
    if [ "$(psql_admin -tAc "select 1 from pg_database where datname = '$db'")" != 1 ]; then
      psql_admin -c "create database $db owner $DB_USER" || die "creating database $db failed"
      created+=("$db")
    fi
  done
  [ "${#created[@]}" -eq 0 ] || log "postgres: created databases ${created[*]}"
  log "postgres: ready (postgresql://$DB_USER:$DB_PASSWORD@127.0.0.1:$PG_PORT/{${DATABASES[*]}})"
}

pg_server_options() {
  echo "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_RUN -c max_connections=300 -c fsync=on -c shared_preload_libraries=pg_stat_statements"
}

# Fault injection (npm run chaos): PostgreSQL restarted in immediate mode, i.e. without a checkpoint,
# as after a crash; it recovers from its WAL when it starts again.
pg_restart_immediate() {
  find_pg_bin || die "postgres: not installed"
  pg_locate
  pg_running || die "postgres: not running"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -s -m immediate -w -o "$(pg_server_options)" restart \
    || die "postgres failed to restart, see $PG_LOG"
  log "postgres: restarted in immediate mode"
}

# kill PostgreSQL as a crash would (immediate mode: no checkpoint, crash recovery at the next start); 'up' starts it again
pg_kill() {
  find_pg_bin || die "postgres: not installed"
  pg_locate
  pg_running || die "postgres: not running"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -s -m immediate -w stop || die "postgres failed to stop, see $PG_LOG"
  log "postgres: stopped in immediate mode"
}

pg_down() {
  find_pg_bin || { log "postgres: not installed"; return 0; }
  pg_locate
  if pg_running; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -s -m fast -w stop || die "postgres failed to stop, see $PG_LOG"
    log "postgres: stopped"
  else
    log "postgres: not running"
  fi
}

# --------------------------------------------------------------------- Kafka

ensure_java() {
  command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
  command -v java >/dev/null 2>&1 || die "java not found"
}

kafka_libs() {
  local pom_sum
  pom_sum="$(sha256sum "$KAFKA_POM" | cut -d' ' -f1)"
  if [ -d "$KAFKA_LIBS" ] && [ -n "$(ls -A "$KAFKA_LIBS" 2>/dev/null)" ]; then
    if [ "$(cat "$KAFKA_LIBS/.pom.sha256" 2>/dev/null || true)" = "$pom_sum" ]; then
      return 0
    fi
    log "kafka: $KAFKA_POM changed, re-fetching jars"
  fi
  command -v mvn >/dev/null 2>&1 || apt_install maven
  log "kafka: fetching jars from Maven Central (mvn dependency:copy-dependencies)"
  local tmp="$KAFKA_DIR/libs.tmp"
  rm -rf "$tmp"
  mkdir -p "$KAFKA_DIR"
  mvn -q -B -f "$KAFKA_POM" dependency:copy-dependencies \
    -DoutputDirectory="$tmp" -DincludeScope=runtime >"$LOG_DIR/kafka-mvn.log" 2>&1 \
    || die "maven could not fetch the kafka jars, see $LOG_DIR/kafka-mvn.log"
  echo "$pom_sum" >"$tmp/.pom.sha256"
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
  log "kafka: $(find "$KAFKA_LIBS" -name "*.jar" | wc -l) jars in $KAFKA_LIBS"
}

# java with the kafka classpath and quiet (stderr, WARN) logging, for CLI tools
kafka_java() {
  java -Xmx256m -cp "$KAFKA_LIBS/*" -Dlog4j.configuration="file:$KAFKA_DIR/tools-log4j.properties" "$@"
}

kafka_config() {
  mkdir -p "$KAFKA_DATA" "$RUN_DIR" "$LOG_DIR"
  cat >"$KAFKA_PROPS" <<EOF
# generated by deploy/local/stack.sh on every 'up' -- edit the script, not this file
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT,SASL_SSL://127.0.0.1:$KAFKA_SASL_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,SASL_SSL://127.0.0.1:$KAFKA_SASL_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL
# The secured listener (ADR 0102): TLS with the stack's own certificate (one PEM file: key, certificate,
# CA), SCRAM-SHA-512 users kept in the cluster's metadata. No authorizer: it is there to prove that the
# services reach a cluster that asks for TLS and SASL, not to keep anyone out of a loopback stack.
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.ssl.keystore.type=PEM
listener.name.sasl_ssl.ssl.keystore.location=$KAFKA_TLS/broker-keystore.pem
log.dirs=$KAFKA_DATA
num.partitions=6
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
# After a kill -9 the node restarts as controller and broker at once, and its controller holds the dead
# broker's registration until that session ends: the new broker cannot register before (KAFKA-19130).
# The default session (9 s) was half of a restart; a node that is its own controller can afford a shorter
# one, and a heartbeat to match (docs/adr/0090-kafka-restarts-in-seconds.md).
broker.session.timeout.ms=$KAFKA_BROKER_SESSION_MS
broker.heartbeat.interval.ms=$((KAFKA_BROKER_SESSION_MS / 4))
num.recovery.threads.per.data.dir=2
# Consumer offsets and group metadata: 6 partitions rather than 50 on one node, fewer logs to recover and
# to load at a start (fixed when the topic is first created, so a fresh stack's).
offsets.topic.num.partitions=6
EOF
  cat >"$KAFKA_DIR/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$KAFKA_SERVER_LOG
log4j.appender.file.MaxFileSize=50MB
log4j.appender.file.MaxBackupIndex=3
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
EOF
  cat >"$KAFKA_DIR/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

kafka_format() {
  [ -f "$KAFKA_DATA/meta.properties" ] && return 0
  local cid
  if [ -s "$KAFKA_DIR/cluster.id" ]; then
    cid="$(cat "$KAFKA_DIR/cluster.id")"
  else
    cid="$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$LOG_DIR/kafka-format.log")" \
      || die "kafka: StorageTool random-uuid failed, see $LOG_DIR/kafka-format.log"
    echo "$cid" >"$KAFKA_DIR/cluster.id"
  fi
  log "kafka: formatting storage (cluster id $cid)"
  kafka_java kafka.tools.StorageTool format -t "$cid" -c "$KAFKA_PROPS" \
    --add-scram "SCRAM-SHA-512=[name=$SCRAM_USER,password=$SCRAM_PASSWORD]" >>"$LOG_DIR/kafka-format.log" 2>&1 \
    || die "kafka: storage format failed, see $LOG_DIR/kafka-format.log"
  scram_marker >"$KAFKA_SCRAM_DONE"
}

# The CA and the broker's certificate of the secured listener (PEM, in $KAFKA_TLS), made once; made
# again when missing, not signed by the CA beside it, or within a day of expiring. The broker's
# keystore is one PEM file: its unencrypted PKCS#8 key, its certificate, the CA's.
kafka_tls() {
  command -v openssl >/dev/null 2>&1 || apt_install openssl
  if openssl x509 -in "$KAFKA_TLS/broker.pem" -noout -checkend 86400 >/dev/null 2>&1 \
    && openssl verify -CAfile "$KAFKA_TLS/ca.pem" "$KAFKA_TLS/broker.pem" >/dev/null 2>&1 \
    && [ -s "$KAFKA_TLS/broker-keystore.pem" ]; then
    return 0
  fi
  local tls_log="$LOG_DIR/kafka-tls.log" tmp="$KAFKA_TLS.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  (
    set -e
    cd "$tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=backbone local stack CA" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
      -keyout ca.key -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout broker.key -out broker.csr
    printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'extendedKeyUsage=serverAuth' \
      'keyUsage=critical,digitalSignature,keyEncipherment' >broker.ext
    openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 \
      -extfile broker.ext -out broker.pem
    cat broker.key broker.pem ca.pem >broker-keystore.pem
    rm -f broker.csr broker.ext ca.srl
    chmod 600 ca.key broker.key broker-keystore.pem
  ) >>"$tls_log" 2>&1 || die "kafka: making the secured listener's certificate failed, see $tls_log"
  rm -rf "$KAFKA_TLS"
  mv "$tmp" "$KAFKA_TLS"
  log "kafka: made the secured listener's CA and certificate in $KAFKA_TLS"
}

# What $KAFKA_SCRAM_DONE holds once the user exists: its name and its password's hash.
scram_marker() { printf '%s %s\n' "$SCRAM_USER" "$(printf %s "$SCRAM_PASSWORD" | sha256sum | cut -c1-64)"; }

# The SCRAM user of the secured listener, on a stack formatted without it (before the listener
# existed) or with another password: added over the PLAINTEXT listener, once (kafka-configs).
kafka_scram_user() {
  [ "$(cat "$KAFKA_SCRAM_DONE" 2>/dev/null || true)" = "$(scram_marker)" ] && return 0
  kafka_java kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --alter \
    --add-config "SCRAM-SHA-512=[password=$SCRAM_PASSWORD]" --entity-type users --entity-name "$SCRAM_USER" \
    >>"$LOG_DIR/kafka-scram.log" 2>&1 \
    || die "kafka: adding the SCRAM user $SCRAM_USER failed, see $LOG_DIR/kafka-scram.log"
  scram_marker >"$KAFKA_SCRAM_DONE"
  log "kafka: added the SCRAM-SHA-512 user $SCRAM_USER"
}

kafka_pid() {
  local pid
  [ -f "$KAFKA_PID" ] || return 1
  pid="$(cat "$KAFKA_PID")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' \
    && echo "$pid"
}

# One readiness probe: broker registered and answering metadata requests.
kafka_probe() {
  if [ -n "${KAFKAJS_DIR:-}" ]; then
    (cd "$KAFKAJS_DIR" && BROKER="127.0.0.1:$KAFKA_PORT" node -e '
      const { Kafka, logLevel } = require("kafkajs");
      const admin = new Kafka({ clientId: "stack-ready", brokers: [process.env.BROKER],
        logLevel: logLevel.NOTHING, connectionTimeout: 2000, requestTimeout: 5000,
        retry: { retries: 0 } }).admin();
      (async () => {
        await admin.connect();
        const c = await admin.describeCluster();
        if (!c.brokers.length) throw new Error("no broker registered");
        await admin.listTopics();
      })().then(() => process.exit(0), () => process.exit(1));' ) >/dev/null 2>&1
  else
    kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list \
      >/dev/null 2>&1
  fi
}

kafka_wait_ready() {
  local pid="$1" deadline=$((SECONDS + KAFKA_READY_TIMEOUT))
  KAFKAJS_DIR=""
  if command -v node >/dev/null 2>&1 && (cd "$REPO_ROOT" && node -e 'require.resolve("kafkajs")') >/dev/null 2>&1; then
    KAFKAJS_DIR="$REPO_ROOT"
  fi
  while :; do
    kill -0 "$pid" 2>/dev/null || die "kafka exited during startup, see $KAFKA_OUT and $KAFKA_SERVER_LOG"
    if port_open "$KAFKA_PORT" && kafka_probe; then return 0; fi
    [ "$SECONDS" -lt "$deadline" ] \
      || die "kafka not ready after ${KAFKA_READY_TIMEOUT}s, see $KAFKA_SERVER_LOG and $KAFKA_OUT"
    sleep 1
  done
}

kafka_up() {
  ensure_java
  mkdir -p "$KAFKA_DIR" "$RUN_DIR" "$LOG_DIR"
  kafka_libs
  local pid
  kafka_tls
  if pid="$(kafka_pid)"; then
    log "kafka: already running (pid $pid) on 127.0.0.1:$KAFKA_PORT"
    port_open "$KAFKA_SASL_PORT" \
      || log "kafka: no SASL_SSL listener on $KAFKA_SASL_PORT (started by an older stack.sh): 'down kafka', then 'up' opens it"
  else
    rm -f "$KAFKA_PID"
    for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$KAFKA_SASL_PORT"; do
      port_open "$p" && die "port $p is already in use by another process; stop it or set KAFKA_PORT/KAFKA_CONTROLLER_PORT/KAFKA_SASL_PORT"
    done
    kafka_config
    kafka_format
    log "kafka: starting on 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT, SASL_SSL $KAFKA_SASL_PORT)"
    # nohup and setsid exec into java (we are not a process group leader), so $! is java's pid
    nohup setsid java -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true \
      -cp "$KAFKA_LIBS/*" -Dlog4j.configuration="file:$KAFKA_DIR/log4j.properties" \
      kafka.Kafka "$KAFKA_PROPS" >"$KAFKA_OUT" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$KAFKA_PID"
  fi
  kafka_wait_ready "$pid"
  kafka_scram_user
  log "kafka: ready (KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT; SASL_SSL 127.0.0.1:$KAFKA_SASL_PORT, CA $KAFKA_TLS/ca.pem)"
}

# Fault injection (npm run chaos): the broker killed with SIGKILL; `up` starts it again.
kafka_kill() {
  local pid
  pid="$(kafka_pid)" || die "kafka: not running"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$KAFKA_PID"
  log "kafka: killed (pid $pid)"
}

kafka_down() {
  local pid i
  if ! pid="$(kafka_pid)"; then
    rm -f "$KAFKA_PID"
    log "kafka: not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "kafka: still running after 30s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  rm -f "$KAFKA_PID"
  log "kafka: stopped"
}

# ------------------------------------------------------------------- gateway

GATEWAY_DIR="$STACK_DIR/gateway"
GATEWAY_CONF="$REPO_ROOT/deploy/gateway/nginx.conf"
GATEWAY_PORT=8080

NGINX_BIN=""
find_nginx() {
  NGINX_BIN="$(command -v nginx 2>/dev/null || true)"
  [ -n "$NGINX_BIN" ] || { [ -x /usr/sbin/nginx ] && NGINX_BIN=/usr/sbin/nginx; }
  [ -n "$NGINX_BIN" ]
}

gateway_pid() {
  local pid
  [ -f "$GATEWAY_DIR/run/nginx.pid" ] || return 1
  pid="$(cat "$GATEWAY_DIR/run/nginx.pid")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

nginx_gateway() { "$NGINX_BIN" -p "$GATEWAY_DIR" -c "$GATEWAY_CONF" "$@"; }

ensure_nginx() {
  if ! find_nginx; then
    log "nginx not found, installing the Debian package"
    apt_install nginx
    find_nginx || die "nginx installed but not found on PATH or in /usr/sbin"
  fi
}

gateway_up() {
  ensure_nginx
  mkdir -p "$GATEWAY_DIR/run" "$GATEWAY_DIR/logs" "$GATEWAY_DIR/tmp"
  nginx_gateway -t -q >>"$GATEWAY_DIR/logs/error.log" 2>&1 \
    || die "gateway: configuration $GATEWAY_CONF is invalid, see $GATEWAY_DIR/logs/error.log"
  local pid
  if pid="$(gateway_pid)"; then
    nginx_gateway -s reload || die "gateway: reload failed, see $GATEWAY_DIR/logs/error.log"
    log "gateway: already running (pid $pid), configuration reloaded"
  else
    port_open "$GATEWAY_PORT" && die "port $GATEWAY_PORT is already in use by another process; stop it first"
    nginx_gateway || die "gateway: nginx failed to start, see $GATEWAY_DIR/logs/error.log"
    log "gateway: $("$NGINX_BIN" -v 2>&1 | sed 's/^nginx version: //') on http://127.0.0.1:$GATEWAY_PORT (access log $GATEWAY_DIR/logs/access.log)"
  fi
}

gateway_down() {
  local pid i
  if ! pid="$(gateway_pid)"; then
    log "gateway: not running"
    return 0
  fi
  find_nginx && nginx_gateway -s quit 2>/dev/null || kill -QUIT "$pid" 2>/dev/null || true
  for ((i = 0; i < 40; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
  log "gateway: stopped"
}

# ------------------------------------------------------------------ commands

cmd_up() {
  local t0=$SECONDS
  mkdir -p "$STACK_DIR"
  pg_up
  kafka_up
  log "up in $((SECONDS - t0))s; state in $STACK_DIR. Use: eval \"\$($0 env)\""
}

# down [kafka|postgres]: both, or only the one named.
cmd_down() {
  case "${1:-}" in
    kafka) kafka_down ;;
    postgres) pg_down ;;
    "") kafka_down; pg_down ;;
    *) die "down: unknown component '$1' (kafka or postgres)" ;;
  esac
}

cmd_status() {
  local rc=0 pid
  if pid="$(gateway_pid)"; then
    log "gateway:  running   127.0.0.1:$GATEWAY_PORT (pid $pid)"
  else
    log "gateway:  stopped"
  fi
  if find_pg_bin && pg_locate && pg_running; then
    log "postgres: running   127.0.0.1:$PG_PORT (data $PG_DATA)"
  else
    log "postgres: stopped"; rc=3
  fi
  if pid="$(kafka_pid)"; then
    if port_open "$KAFKA_PORT"; then
      log "kafka:    running   127.0.0.1:$KAFKA_PORT (pid $pid, data $KAFKA_DATA)"
      if port_open "$KAFKA_SASL_PORT"; then
        log "kafka:    SASL_SSL  127.0.0.1:$KAFKA_SASL_PORT (SCRAM-SHA-512 user $SCRAM_USER, CA $KAFKA_TLS/ca.pem)"
      else
        log "kafka:    SASL_SSL  not open on $KAFKA_SASL_PORT (started by an older stack.sh: down kafka, then up)"
      fi
    else
      log "kafka:    starting  (pid $pid, port $KAFKA_PORT not open yet)"; rc=3
    fi
  else
    log "kafka:    stopped"; rc=3
  fi
  return "$rc"
}

cmd_env() {
  cat <<EOF
export DATABASE_HOST=127.0.0.1
export DATABASE_PORT=$PG_PORT
export DATABASE_USER=$DB_USER
export DATABASE_PASSWORD=$DB_PASSWORD
export KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
# The secured listener (SASL_SSL, SCRAM-SHA-512): a service reaches it with KAFKA_BROKERS set to
# STACK_KAFKA_SASL_BROKERS, KAFKA_SSL=true, and KAFKA_SSL_CA_FILE and KAFKA_SASL_* set from these.
export STACK_KAFKA_SASL_BROKERS=127.0.0.1:$KAFKA_SASL_PORT
export STACK_KAFKA_SASL_CA_FILE=$KAFKA_TLS/ca.pem
export STACK_KAFKA_SASL_MECHANISM=scram-sha-512
export STACK_KAFKA_SASL_USERNAME=$SCRAM_USER
export STACK_KAFKA_SASL_PASSWORD=$SCRAM_PASSWORD
EOF
}

# reset: down, then delete $STACK_DIR. reset keep-downloads: the same, but the Kafka jars stay (a
# throw-away stack such as npm run chaos's, started again next time without fetching them).
cmd_reset() {
  case "$STACK_DIR" in
    "" | / | "$REPO_ROOT" | "$HOME") die "refusing to delete STACK_DIR=$STACK_DIR" ;;
  esac
  case "${1:-}" in "" | keep-downloads) ;; *) die "reset: unknown option '$1' (keep-downloads)" ;; esac
  [ -d "$STACK_DIR" ] || { log "nothing to reset ($STACK_DIR does not exist)"; return 0; }
  gateway_down
  cmd_down
  local located
  located="$(cat "$STACK_DIR/pg-location" 2>/dev/null || true)"
  case "$located" in */backbone/*) rm -rf "$located" && log "deleted $located" ;; esac
  if [ "${1:-}" = keep-downloads ] && [ -d "$KAFKA_LIBS" ]; then
    find "$STACK_DIR" -mindepth 1 -maxdepth 1 ! -name kafka -exec rm -rf {} +
    find "$KAFKA_DIR" -mindepth 1 -maxdepth 1 ! -name libs -exec rm -rf {} +
    log "deleted $STACK_DIR except $KAFKA_LIBS"
  else
    rm -rf "$STACK_DIR"
    log "deleted $STACK_DIR"
  fi
}

usage() {
  cat <<EOF
usage: $0 up|down|status|env|reset|gateway-up|gateway-down|gateway-install
  up      install what is missing, start PostgreSQL ($PG_PORT) and Kafka ($KAFKA_PORT; SASL_SSL $KAFKA_SASL_PORT), wait until ready
  down [kafka|postgres]  stop Kafka and PostgreSQL, or the one named (data kept)
  pg-restart-immediate  restart PostgreSQL in immediate mode, as after a crash (fault tests)
  pg-kill               stop PostgreSQL in immediate mode (a crash); 'up' starts it again (fault tests)
  kafka-kill            kill -9 the broker; 'up' starts it again (fault tests)
  status  show what is running (exit 3 if something is stopped)
  env     print export lines for the services (eval "\$($0 env)")
  reset [keep-downloads]  down, then delete $STACK_DIR (keep-downloads: all but the Kafka jars)
  gateway-up    install nginx if missing, start (or reload) the gateway on $GATEWAY_PORT
  gateway-down  stop the gateway
  gateway-install  install nginx if missing (the end-to-end tests run the gateway themselves)
EOF
}

main() {
  case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down "${2:-}" ;;
    pg-restart-immediate) pg_restart_immediate ;;
    pg-kill) pg_kill ;;
    kafka-kill) kafka_kill ;;
    status) cmd_status ;;
    env) cmd_env ;;
    reset) cmd_reset "${2:-}" ;;
    gateway-up) gateway_up ;;
    gateway-install) ensure_nginx ;;
    gateway-down) gateway_down ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

# Allow `source deploy/local/stack.sh` (functions only) for testing.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
