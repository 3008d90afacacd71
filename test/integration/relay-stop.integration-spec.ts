import { ApprovalDecidedV1 } from '@backbone/contracts';
import { decidedApprovalEvent, InProcessService, waitFor } from '@backbone/testing';
import { KafkaClient, Outbox, OutboxRelay } from '@backbone/messaging';
import { startProbeService } from './probe-service';

/**
 * A service stopped while its relay is publishing: the relay's pass ends before the Kafka client
 * disconnects its producer. Disconnected under a send that kafkajs is still retrying, the producer would
 * reconnect for the retry, and that connection would never be closed (it kept a CI run's test process
 * alive for 90 minutes). Real Kafka and PostgreSQL.
 */
describe('stopping a service while its relay publishes', () => {
  let service: InProcessService;

  beforeAll(async () => {
    service = await startProbeService('a service with an outbox only, for the relay stop');
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('lets the pass in flight finish, then disconnects the producer', async () => {
    const { app, dataSource } = service;
    const relay = app.get(OutboxRelay);
    const producer = await app.get(KafkaClient).producer();
    const steps: string[] = [];
    const disconnect = producer.disconnect.bind(producer);
    producer.disconnect = async () => {
      steps.push('producer disconnected');
      await disconnect();
    };
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let inFlight = false;
    relay.faults.afterPublish = async () => {
      inFlight = true;
      await released;
      steps.push('relay pass finished');
    };

    const event = decidedApprovalEvent(1);
    await dataSource.transaction((manager) =>
      app.get(Outbox).add(manager, ApprovalDecidedV1, { subject: event.subject, data: event.data, correlationId: event.correlationid }),
    );
    await waitFor('the relay to be publishing the row', () => inFlight);

    const closing = service.close();
    // Long enough for a stop that does not wait for the relay to have disconnected the producer.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(steps).toEqual([]);
    release();
    await closing;
    expect(steps).toEqual(['relay pass finished', 'producer disconnected']);

    // The pass really finished: the acknowledged row was deleted before the database closed.
    const sql = await service.sql();
    const rows = await sql.query(`SELECT 1 FROM outbox WHERE correlation_id = $1`, [event.correlationid]);
    expect(rows.rowCount).toBe(0);
  });
});
