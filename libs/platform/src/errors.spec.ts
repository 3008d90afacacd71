import type { ArgumentsHost } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { ProblemDetailsFilter } from './errors';

function host(headersSent: boolean) {
  const response = {
    headersSent,
    statusCode: headersSent ? 408 : 200,
    setHeader: jest.fn(),
    end: jest.fn(),
    destroy: jest.fn(),
  };
  const request = { headers: {} };
  const argumentsHost = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }),
  } as unknown as ArgumentsHost;
  return { argumentsHost, response };
}

describe('ProblemDetailsFilter', () => {
  afterEach(() => jest.restoreAllMocks());

  it('drops a route’s answer to a request answered already (the edge’s 408), logged as information, not as an error', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const { argumentsHost, response } = host(true);
    const late = Object.assign(new Error('Cannot set headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
    new ProblemDetailsFilter().catch(late, argumentsHost);
    expect(error).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.objectContaining({ status: 408 }), 'answer dropped: the request was answered already');
    expect(response.end).not.toHaveBeenCalled();
    expect(response.destroy).not.toHaveBeenCalled();
  });

  it('still answers 500 and logs an error for any other unexpected failure', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { argumentsHost, response } = host(false);
    new ProblemDetailsFilter().catch(new Error('boom'), argumentsHost);
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), 'unhandled error');
    expect(response.statusCode).toBe(500);
    expect(response.end).toHaveBeenCalledWith(expect.stringContaining('"status":500'));
  });
});
