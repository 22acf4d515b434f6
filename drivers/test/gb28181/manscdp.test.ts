import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody, encodeBody, parseManscdp } from '../../src/gb28181/manscdp.js';
import {
  alarmXml,
  CatalogAssembler,
  type CatalogItem,
  catalogResponsePages,
  keepaliveXml,
  readAlarm,
  readCatalogPage,
} from '../../src/gb28181/manscdp-messages.js';
import { gbIdProblem, parseGbId } from '../../src/gb28181/gb-id.js';
import { CATALOG_RESPONSE_XML } from './golden.js';

describe('MANSCDP bodies', () => {
  it('reads the standard-style Catalog answer sent in GB2312', () => {
    const bytes = iconv.encode(CATALOG_RESPONSE_XML, 'gb2312');
    expect(bytes.includes(Buffer.from('小区', 'utf8'))).toBe(false);
    const m = parseManscdp(bytes, 'Application/MANSCDP+xml');
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.value).toMatchObject({
      root: 'Response',
      cmdType: 'Catalog',
      sn: 17430,
      deviceId: '64010000001110000001',
    });
    const page = readCatalogPage(m.value);
    expect(page.ok && page.value.sumNum).toBe(2);
    expect(page.ok && page.value.items[0]).toMatchObject({
      deviceId: '64010000001310000001',
      name: '小区南门',
      civilCode: '640100',
      status: 'ON',
      longitude: 116.98,
    });
  });

  it('decodes GB2312 bytes that claim to be UTF-8, and UTF-8 that claims nothing', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><Notify><CmdType>Alarm</CmdType><SN>1</SN><DeviceID>1</DeviceID><AlarmDescription>烟雾报警</AlarmDescription></Notify>';
    expect(decodeBody(iconv.encode(xml, 'gb2312'))).toContain('烟雾报警');
    expect(decodeBody(Buffer.from(xml.replace(' encoding="UTF-8"', '')))).toContain('烟雾报警');
    expect(decodeBody(iconv.encode(xml, 'gbk'), 'Application/MANSCDP+xml; charset=GBK')).toContain('烟雾报警');
  });

  it('gives a typed error for what is not MANSCDP', () => {
    expect(parseManscdp('<Foo/>')).toEqual({ ok: false, error: expect.stringMatching(/no MANSCDP root/) });
    expect(parseManscdp('<Notify><CmdType>Keepalive</CmdType><SN>x</SN></Notify>')).toMatchObject({ ok: false });
    expect(parseManscdp('')).toMatchObject({ ok: false });
  });

  it('builds a Keepalive the parser reads back in both charsets', () => {
    for (const cs of ['GB2312', 'UTF-8'] as const) {
      const m = parseManscdp(encodeBody(keepaliveXml('34020000002000000001', 7, cs), cs));
      expect(m.ok && m.value).toMatchObject({
        root: 'Notify',
        cmdType: 'Keepalive',
        sn: 7,
        deviceId: '34020000002000000001',
      });
    }
  });
});

describe('Catalog paging', () => {
  const items: CatalogItem[] = Array.from({ length: 7 }, (_, i) => ({
    deviceId: `3402000000132000000${i}`,
    name: `摄像机&<${i}>`,
    civilCode: '341302',
    status: i % 2 ? 'OFF' : 'ON',
    longitude: 116.98 + i / 1000,
    latitude: 33.64,
  }));

  it('splits into pages carrying SumNum and reassembles them in any order, once each', () => {
    const pages = catalogResponsePages('34020000002000000001', 5, items, 3, 'GB2312');
    expect(pages).toHaveLength(3);
    const asm = new CatalogAssembler();
    for (const xml of [pages[2]!, pages[0]!, pages[0]!, pages[1]!]) {
      expect(asm.done()).toBe(false);
      const m = parseManscdp(encodeBody(xml, 'GB2312'));
      if (!m.ok) throw new Error(m.error);
      const page = readCatalogPage(m.value);
      if (!page.ok) throw new Error(page.error);
      expect(page.value.sumNum).toBe(7);
      asm.add(page.value);
    }
    expect(asm.done()).toBe(true);
    expect(
      asm
        .result()
        .map((i) => i.name)
        .sort(),
    ).toEqual(items.map((i) => i.name).sort());
  });

  it('an empty catalog is one page with SumNum 0', () => {
    const [only, ...rest] = catalogResponsePages('34020000002000000001', 1, [], 10, 'UTF-8');
    expect(rest).toHaveLength(0);
    const m = parseManscdp(only!);
    expect(m.ok && readCatalogPage(m.value)).toEqual({ ok: true, value: { sumNum: 0, items: [] } });
  });
});

describe('Alarm and ids', () => {
  it('round-trips an Alarm notification', () => {
    const time = new Date('2026-12-02T09:00:00Z');
    const xml = alarmXml(
      9,
      { deviceId: '34130200001320000001', priority: 1, method: 7, time, description: '单元门被强行打开' },
      'GB2312',
    );
    expect(xml).toContain('<AlarmTime>2026-12-02T17:00:00</AlarmTime>');
    const m = parseManscdp(encodeBody(xml, 'GB2312'));
    expect(m.ok && readAlarm(m.value)).toMatchObject({ priority: 1, method: 7, time, description: '单元门被强行打开' });
  });

  it('reads and checks 20-digit codes', () => {
    expect(parseGbId('34020000001320000001')).toEqual({
      civilCode: '34020000',
      industry: '00',
      type: 132,
      network: 0,
      serial: '000001',
    });
    expect(gbIdProblem('34020000002000000001', 'server')).toBeNull();
    expect(gbIdProblem('34020000001320000001', 'server')).toMatch(/type 132/);
    expect(gbIdProblem('3402000000132000001', 'channel')).toMatch(/20-digit/);
  });
});
