import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Admin, Kafka, logLevel, Producer } from 'kafkajs';
import { ALL_TOPICS, deadLetterTopic } from '@backbone/contracts';
import { BaseServiceConfig, ReadinessProbes, SERVICE_CONFIG, SERVICE_NAME } from '@backbone/platform';
import { kafkaSecurityOptions, kafkaSecurityWarning } from './kafka-security';
import { KeyPartitioner } from './key-partitioner';
import { quietIdleRequestQueues } from './kafkajs-idle-timer';
import { leanProduceEncoding } from './kafkajs-produce-encoding';

// Every kafkajs connection of the process, from its first request on: no 1 ms timer while idle (ADR 0079).
quietIdleRequestQueues();
// Every Produce request of the process encoded in one buffer of its exact size (ADR 0099).
leanProduceEncoding();

/** The one place a service touches the Kafka client: connection, topics, the relay's producer. */
@Injectable()
export class KafkaClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(KafkaClient.name);
  readonly kafka: Kafka;
  /** The service's name, with its SERVICE_INSTANCE if it has one: this instance's name towards Kafka. */
  readonly clientId: string;
  // The connecting clients, not the connected ones: callers at the same moment (the readiness probe and
  // the topic check at start, say) share one connection instead of each opening one, of which all but
  // the last would never be closed.
  private producerConnecting?: Promise<Producer>;
  private adminConnecting?: Promise<Admin>;
  private shutDown = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: BaseServiceConfig,
    @Inject(SERVICE_NAME) readonly serviceName: string,
    private readonly probes: ReadinessProbes,
  ) {
    this.clientId = `${serviceName}${config.SERVICE_INSTANCE ? `-${config.SERVICE_INSTANCE}` : ''}`;
    const warning = kafkaSecurityWarning(config);
    if (warning) this.logger.warn(warning);
    this.kafka = new Kafka({
      clientId: this.clientId,
      brokers: config.KAFKA_BROKERS.split(','),
      // TLS and SASL from KAFKA_SSL* and KAFKA_SASL*, their files read once, here (ADR 0102).
      ...kafkaSecurityOptions(config),
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ namespace, level, log }) => {
          const { message, ...extra } = log;
          const line = `${namespace}: ${message} ${JSON.stringify(extra)}`;
          if (level === logLevel.ERROR) this.logger.error(line);
          else if (level === logLevel.WARN) this.logger.warn(line);
        },
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5000 },
    });
  }

  /** The consumer group of this service (one per service; replicas share it). */
  get consumerGroup(): string {
    return this.physical(this.serviceName);
  }

  /** This service's dead-letter topic, as named on the cluster. */
  get deadLetterTopic(): string {
    return this.physical(deadLetterTopic(this.serviceName));
  }

  /** A topic's name on the cluster (with the namespace prefix, if any). */
  physical(name: string): string {
    return this.config.KAFKA_NAMESPACE ? `${this.config.KAFKA_NAMESPACE}.${name}` : name;
  }

  /** A cluster topic's name as the contracts know it. */
  logical(topic: string): string {
    const prefix = this.config.KAFKA_NAMESPACE ? `${this.config.KAFKA_NAMESPACE}.` : '';
    return prefix && topic.startsWith(prefix) ? topic.slice(prefix.length) : topic;
  }

  async onModuleInit(): Promise<void> {
    this.probes.register('kafka', async () => {
      await this.admin().then((admin) => admin.describeCluster());
    });
  }

  admin(): Promise<Admin> {
    if (this.shutDown) return Promise.reject(new Error('the Kafka client has been shut down'));
    this.adminConnecting ??= this.connect(this.kafka.admin(), () => (this.adminConnecting = undefined));
    return this.adminConnecting;
  }

  /** Idempotent producer, acks from all in-sync replicas: a retried send is written once, in order. */
  producer(): Promise<Producer> {
    if (this.shutDown) return Promise.reject(new Error('the Kafka client has been shut down'));
    this.producerConnecting ??= this.connect(
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        // kafkajs's default partitioning (a key's partition unchanged) with a 32-bit murmur2 (ADR 0096).
        createPartitioner: KeyPartitioner,
        allowAutoTopicCreation: false,
      }),
      () => (this.producerConnecting = undefined),
    );
    return this.producerConnecting;
  }

  /** Connects a client; a failed connection is forgotten (the next call tries again). */
  private async connect<T extends Admin | Producer>(client: T, forget: () => void): Promise<T> {
    try {
      await client.connect();
      return client;
    } catch (error) {
      forget();
      throw error;
    }
  }

  /**
   * Creates the shared topics and this service's dead-letter topic where missing, and waits until every
   * partition has a leader. Services start at the same time: a topic another one just created is fine.
   */
  async ensureTopics(): Promise<void> {
    const admin = await this.admin();
    const topics = [...ALL_TOPICS.map((topic) => this.physical(topic)), this.deadLetterTopic];
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({ topic, numPartitions: this.config.TOPIC_PARTITIONS, replicationFactor: -1 })),
        });
        this.logger.log(`created topics ${missing.join(', ')}`);
      } catch (error) {
        const errors = (error as { errors?: { type?: string }[] }).errors ?? [];
        if (errors.length === 0 || !errors.every((each) => each.type === 'TOPIC_ALREADY_EXISTS')) throw error;
      }
    }
    for (let attempt = 1; ; attempt++) {
      const metadata = await admin.fetchTopicMetadata({ topics });
      const leaderless = metadata.topics.filter((topic) => topic.partitions.length === 0 || topic.partitions.some((p) => p.leader < 0));
      if (leaderless.length === 0) return;
      if (attempt >= 50) throw new Error(`topics without leaders: ${leaderless.map((topic) => topic.name).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Disconnects what is connected or connecting; nothing connects afterwards (a relay's last pass, say). */
  async onApplicationShutdown(): Promise<void> {
    this.shutDown = true;
    const clients = [this.producerConnecting, this.adminConnecting];
    this.producerConnecting = this.adminConnecting = undefined;
    await Promise.allSettled(clients.map(async (connecting) => (await connecting)?.disconnect()));
  }
}
