import { toDyvmsError } from '../../../lib/dyvms/client';

describe('toDyvmsError', () => {
  it('given a bare SyntaxError from a non-JSON 502 page, then the status survives', () => {
    const error = toDyvmsError(new SyntaxError('Unexpected token <'), 502);

    expect(error).toMatchObject({
      upstreamCode: 'InvalidResponse',
      httpStatus: 502,
      statusCode: 502,
      retryable: true,
    });
  });

  it.each([
    ['Throttling.User', 400, 'throttled', true, 429],
    ['isv.BUSINESS_LIMIT_CONTROL', 200, 'throttled', true, 429],
    ['isp.SYSTEM_ERROR', 200, 'server', true, 502],
    ['SignatureDoesNotMatch', 400, 'client', false, 502],
    ['InvalidAccessKeyId.NotFound', 404, 'client', false, 502],
    ['isv.INVALID_PARAMETERS', 400, 'client', false, 502],
    ['ServiceUnavailable', 503, 'server', true, 502],
  ])(
    'given upstream %s (HTTP %i), then it is %s, retryable=%s, answered %i',
    (code, status, kind, retryable, answered) => {
      const teaError = Object.assign(new Error(`code: ${status}`), {
        code,
        data: { statusCode: status, Message: 'm', RequestId: 'R-1' },
      });

      const error = toDyvmsError(teaError, status);

      expect(error).toMatchObject({
        kind,
        retryable,
        statusCode: answered,
        requestId: 'R-1',
        upstreamCode: code,
      });
    },
  );

  it('given a read time-out from the HTTP layer, then it is a retryable 504', () => {
    const timeout = Object.assign(new Error('ReadTimeout(10000)'), { name: 'RequestTimeoutError' });

    expect(toDyvmsError(timeout, undefined)).toMatchObject({
      kind: 'timeout',
      statusCode: 504,
      retryable: true,
    });
  });
});
