/**
 * MQTT ingest through a real broker: TEST_MQTT_URL, which `npm test` sets
 * when Mosquitto answers on 127.0.0.1:1883 (and says so in a banner when not).
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { startApi, type RunningApi } from '../support/server';
import { Client, heartbeat, login, newCatalog, newTerminal, terminalDevice } from './support/client';

const BROKER = process.env.TEST_MQTT_URL;

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('condition not met');
}

(BROKER ? describe : describe.skip)('heartbeats over MQTT', () => {
  let api: RunningApi;
  let admin: Client;
  let publisher: MqttClient;

  beforeAll(async () => {
    // A share group of its own, so sessions left by earlier runs never take this run's messages.
    api = await startApi({ MQTT_URL: BROKER!, MQTT_SUBSCRIBERS: '2', MQTT_SHARE_GROUP: `test${process.pid}${Date.now()}` });
    admin = await login(api);
    publisher = await connectAsync(BROKER!, { clientId: `fleet-test-${process.pid}-${Date.now()}` });
  });

  afterAll(async () => {
    await publisher?.endAsync();
    await api?.stop();
  });

  const stored = async (terminalId: number) => (await admin.get(`/api/v1/terminals/${terminalId}/heartbeats?resolution=raw`)).body.points.length as number;

  it('should store heartbeats published with the terminal token, one and many, and drop what is not allowed', async () => {
    const catalog = await newCatalog(admin);
    const terminal = await newTerminal(admin, catalog, { status: 'deployed' });
    const other = await newTerminal(admin, catalog, { status: 'deployed' });
    const device = await terminalDevice(admin, terminal.id);
    const topic = (id: number) => `fleet/terminals/${id}/heartbeats`;
    // Wait until the API's subscription is in place: a first heartbeat is retried until it lands.
    await waitFor(async () => {
      await publisher.publishAsync(topic(terminal.id), JSON.stringify({ token: device.token, heartbeat: heartbeat(terminal.id, 1) }), { qos: 1 });
      return (await stored(terminal.id)) === 1;
    });
    await publisher.publishAsync(topic(terminal.id), JSON.stringify({ token: device.token, heartbeats: [heartbeat(terminal.id, 2), heartbeat(terminal.id, 3, { batteryPct: 4 })] }), { qos: 1 });
    // Not allowed: another terminal's topic, a forged token, garbage, a bad field.
    await publisher.publishAsync(topic(other.id), JSON.stringify({ token: device.token, heartbeat: heartbeat(other.id, 1) }), { qos: 1 });
    await publisher.publishAsync(topic(terminal.id), JSON.stringify({ token: `fdt_${'x'.repeat(43)}`, heartbeat: heartbeat(terminal.id, 4) }), { qos: 1 });
    await publisher.publishAsync(topic(terminal.id), 'not json', { qos: 1 });
    await publisher.publishAsync(topic(terminal.id), JSON.stringify({ token: device.token, heartbeat: heartbeat(terminal.id, 5, { batteryPct: 900 }) }), { qos: 1 });
    // A marker published last: once it is stored, everything before it was handled.
    await publisher.publishAsync(topic(terminal.id), JSON.stringify({ token: device.token, heartbeat: heartbeat(terminal.id, 6) }), { qos: 1 });
    await waitFor(async () => (await stored(terminal.id)) >= 4);
    expect(await stored(terminal.id)).toBe(4);
    expect(await stored(other.id)).toBe(0);
    expect((await admin.get(`/api/v1/terminals/${terminal.id}/health`)).body.latest.sequence).toBe(6);
    // The broker shares the subscription among several connections, so the refused messages may be counted after the marker is stored.
    const refused = [/fleet_mqtt_messages_total\{outcome="unauthorized"\} 2/, /fleet_mqtt_messages_total\{outcome="malformed"\} 1/, /fleet_mqtt_messages_total\{outcome="invalid"\} 1/];
    let metrics = '';
    await waitFor(async () => {
      metrics = await fetch(`${api.baseUrl}/metrics`).then((r) => r.text());
      return refused.every((pattern) => pattern.test(metrics));
    });
    expect(metrics).toMatch(/fleet_mqtt_messages_total\{outcome="unauthorized"\} 2/);
    expect(metrics).toMatch(/fleet_mqtt_messages_total\{outcome="malformed"\} 1/);
    expect(metrics).toMatch(/fleet_mqtt_messages_total\{outcome="invalid"\} 1/);
  });
});
