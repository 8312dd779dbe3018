import { describe, expect, it } from 'vitest';
import { fileApi, isRecursive, operationOf } from '../../src/analysis/catalog/filesystem.js';
import { listenBind, timerApi } from '../../src/analysis/catalog/listeners.js';
import { destinationOf, isMailSender, isSocketWrite, networkApi, pythonObjectClass } from '../../src/analysis/catalog/network.js';
import { pythonKeepsArgumentsWhole, pythonSourceOfCall, pythonSourceOfName } from '../../src/analysis/catalog/sources.js';
import type { ArgumentFact } from '../../src/analysis/model/file-facts.js';

// The Python entries of the shared catalogs, read the way python/extract.ts writes calls: keyword
// arguments as one options fact after the positional ones, an instance as argument 0 of its methods.
const arg = (fact: Partial<ArgumentFact> = {}): ArgumentFact => ({ labels: [], ...fact });
const keywords = (properties: Record<string, boolean | string>): ArgumentFact => arg({ properties, propertyLabels: {} });

describe('Python file APIs', () => {
  it('reads open()\'s mode positional or keyword, with x for exclusive creation', () => {
    const open = fileApi('builtins.open')!;
    expect(operationOf(open, [arg()])).toBe('read');
    expect(operationOf(open, [arg(), arg({ literal: 'rb' })])).toBe('read');
    expect(operationOf(open, [arg(), arg({ literal: 'x' })])).toBe('write');
    expect(operationOf(open, [arg(), keywords({ mode: 'a', encoding: 'utf-8' })])).toBe('write');
    expect(operationOf(fileApi('pathlib.Path.open')!, [arg(), arg({ literal: 'w' })])).toBe('write');
  });

  it('reads os.open\'s flags from the call\'s text', () => {
    const api = fileApi('os.open')!;
    expect(operationOf(api, [arg(), arg()], 'os.open(p, os.O_RDONLY)')).toBe('read');
    expect(operationOf(api, [arg(), arg()], 'os.open(p, os.O_WRONLY | os.O_CREAT)')).toBe('write');
  });

  it('maps os, shutil, glob and pathlib methods onto operations, with the paths they take', () => {
    expect(fileApi('shutil.rmtree')).toMatchObject({ operation: 'delete' });
    expect(isRecursive(fileApi('shutil.rmtree')!, [arg()])).toBe(true);
    expect(isRecursive(fileApi('pathlib.Path.rmdir')!, [arg()])).toBe(false);
    expect(fileApi('pathlib.Path.rename')).toMatchObject({ operation: 'move', pathArgs: [0, 1] });
    expect(fileApi('shutil.copytree')).toMatchObject({ operation: 'write', pathArgs: [0, 1] });
    expect(fileApi('glob.glob')).toMatchObject({ operation: 'list' });
    expect(fileApi('os.path.exists')).toMatchObject({ operation: 'metadata' });
    expect(fileApi('pathlib.Path.is_relative_to')).toBeNull();
    expect(fileApi('pathlib.Path.with_suffix')).toBeNull();
  });
});

describe('Python network APIs', () => {
  it('takes a client method\'s destination from its URL, else from the base_url its client was built with', () => {
    const api = networkApi('httpx.AsyncClient.get')!;
    const client = keywords({ base_url: 'https://api.weather.example.net/v1' });
    expect(destinationOf([client, arg({ literal: '/daily' })], api)).toEqual({ host: 'api.weather.example.net', path: '/v1' });
    expect(destinationOf([keywords({}), arg({ literal: 'https://hooks.slack.com/services/T0' })], api)).toMatchObject({ host: 'hooks.slack.com' });
  });

  it('reads hosts from keywords, bare host arguments and (host, port) tuples', () => {
    expect(destinationOf([arg(), keywords({ url: 'https://api.example.org/x' })], networkApi('requests.request')!)).toMatchObject({ host: 'api.example.org' });
    expect(destinationOf([arg({ literal: 'smtp.mailhost.io' }), arg()], networkApi('smtplib.SMTP')!)).toEqual({ host: 'smtp.mailhost.io', path: '/' });
    expect(destinationOf([arg({ elements: [{ literal: '45.61.136.7', labels: [] }, { labels: [] }] })], networkApi('socket.create_connection')!)).toEqual({ host: '45.61.136.7', path: '/' });
  });

  it('reads name lookups of an aiodns resolver, a datagram\'s address, and writes to a connected socket as sends of their own', () => {
    expect(pythonObjectClass('aiodns.DNSResolver')).not.toBeNull();
    expect(destinationOf([keywords({}), arg({ parts: ['.collector.vendor.dev'] })], networkApi('aiodns.DNSResolver.query')!)).toMatchObject({ host: 'collector.vendor.dev' });
    expect(destinationOf([keywords({}), arg(), arg({ elements: [{ literal: '45.61.136.7', labels: [] }, { labels: [] }] })], networkApi('socket.socket.sendto')!)).toMatchObject({ host: '45.61.136.7' });
    expect(isSocketWrite('socket.socket.sendall')).toBe(true);
    // A connected socket's writes name no destination: the connect call does, for the inventory.
    expect(networkApi('socket.socket.sendall')).toBeNull();
  });

  it('knows servers and their default hosts, mail senders and the classes whose methods it names', () => {
    expect(networkApi('uvicorn.run')).toMatchObject({ kind: 'listen', defaultHost: '127.0.0.1' });
    expect(networkApi('aiohttp.web.run_app')).toMatchObject({ kind: 'listen', defaultHost: '0.0.0.0' });
    expect(networkApi('mcp.server.fastmcp.FastMCP.run')?.transports).toContain('sse');
    expect(isMailSender('smtplib.SMTP_SSL.send_message')).toBe(true);
    expect(pythonObjectClass('requests.session')).toEqual({ type: 'requests.Session', positional: [] });
    expect(pythonObjectClass('http.client.HTTPSConnection')).toEqual({ type: 'http.client.HTTPSConnection', positional: ['host', 'port'] });
    expect(pythonObjectClass('collections.OrderedDict')).toBeNull();
  });
});

describe('which Python calls keep the whole environment', () => {
  it.each([
    ['builtins.dict', true],
    ['json.dumps', true],
    ['member:copy', true],
    ['base64.b64encode', true],
    ['settings.load', false],
    ['pydantic_settings.BaseSettings', false],
    ['local:load_config', false],
  ])('%s: %s', (callee, expected) => {
    expect(pythonKeepsArgumentsWhole(callee)).toBe(expected);
  });
});

describe('Python servers, schedulers and the request', () => {
  it('judges websockets.serve by its host, every interface when none is given', () => {
    const api = networkApi('websockets.serve')!;
    expect(api.kind).toBe('listen');
    expect(listenBind([arg(), arg({ literal: '0.0.0.0' }), arg()], api).bind).toBe('all');
    expect(listenBind([arg(), keywords({ host: 'localhost' })], api).bind).toBe('loopback');
    expect(listenBind([arg(), keywords({})], api).bind).toBe('all');
    expect(networkApi('websockets.asyncio.server.serve')).toBe(api);
  });

  it('knows where Python schedulers take their callback, an instance being argument 0 of its methods', () => {
    expect(timerApi('threading.Timer')).toEqual({ name: 'threading.Timer', callbackAt: 1 });
    expect(timerApi('sched.scheduler.enter')).toEqual({ name: 'sched', callbackAt: 3 });
    expect(timerApi('schedule.Job.do')).toEqual({ name: 'schedule', callbackAt: 0 });
    expect(timerApi('asyncio.AbstractEventLoop.call_later')).toEqual({ name: 'loop.call_later', callbackAt: 2 });
    expect(timerApi('apscheduler.schedulers.asyncio.AsyncIOScheduler.add_job')).toEqual({ name: 'apscheduler', callbackAt: 1 });
    expect(timerApi('threading.Thread')).toBeNull();
    expect(pythonObjectClass('asyncio.get_event_loop')).toEqual({ type: 'asyncio.AbstractEventLoop', positional: [] });
  });

  it('reads Flask\'s and Quart\'s request, and aiohttp\'s WebSocket frames, as @request', () => {
    expect(pythonSourceOfName('flask.request')).toBe('@request');
    expect(pythonSourceOfName('quart.request.form')).toBe('@request');
    expect(pythonSourceOfName('flask.requests')).toBeNull();
    expect(pythonSourceOfCall('flask.request.get_json')).toBe('@request');
    expect(pythonSourceOfCall('aiohttp.web.WebSocketResponse')).toBe('@request');
  });
});
