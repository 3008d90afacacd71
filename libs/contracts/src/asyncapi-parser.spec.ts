import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { asyncApiDocument } from './asyncapi';
import { EVENT_CATALOG } from './catalog';
import { HotlineComplaintReceivedV1, INTAKE_EVENT_CLASSES } from './events/integration.v1';

/**
 * The documents every service serves, read by the official AsyncAPI parser: what an integrating agency's
 * tooling sees. `/api/events` (the same at every service: the whole catalogue) and the integration
 * service's intake document (`/integration/events/asyncapi`, with who may send each type).
 */
describe('the AsyncAPI documents, read by the official parser (@asyncapi/parser)', () => {
  const parser = new Parser();

  async function parse(document: Record<string, unknown>) {
    const { document: parsed, diagnostics } = await parser.parse(JSON.stringify(document));
    const problems = diagnostics
      .filter((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error || diagnostic.severity === DiagnosticSeverity.Warning)
      .map((diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`);
    return { parsed, problems };
  }

  it('reads the event catalogue of /api/events with no error and no warning, every message with its payload properties', async () => {
    const { parsed, problems } = await parse(asyncApiDocument());
    expect(problems).toEqual([]);
    expect(parsed).toBeDefined();
    const messages = parsed!.allMessages().all();
    expect(messages.map((message) => message.name()).sort()).toEqual(EVENT_CATALOG.map((eventClass) => eventClass.type).sort());
    for (const message of messages) {
      // The payload is the CloudEvents envelope and, in `data`, the event's own schema with its properties.
      const parts = message.payload()?.allOf() ?? [];
      const data = parts.map((part) => part.properties()?.data).find(Boolean);
      const envelope = parts.map((part) => part.properties()?.correlationid).find(Boolean);
      expect({ message: message.name(), envelope: Boolean(envelope), data: Object.keys(data?.properties() ?? {}).length > 0 }).toEqual({
        message: message.name(),
        envelope: true,
        data: true,
      });
    }
  });

  it("reads the integration intake's document with no error and no warning", async () => {
    const { parsed, problems } = await parse(
      asyncApiDocument({ path: '/integration/events', rights: { [HotlineComplaintReceivedV1.type]: ['320700-HOTLINE'] } }),
    );
    expect(problems).toEqual([]);
    const names = parsed!
      .allMessages()
      .all()
      .map((message) => message.name());
    expect(names).toEqual(expect.arrayContaining(INTAKE_EVENT_CLASSES.map((eventClass) => eventClass.type)));
  });
});
