import { toDyvmsError } from '../../../lib/dyvms/client';
import { errorFields } from '../../../lib/log';

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
    ['SignatureDoesNotMatch', 400, 'signature', true, 502],
    ['IncompleteSignature', 400, 'signature', true, 502],
    ['InvalidTimeStamp.Expired', 400, 'signature', true, 502],
    ['SignatureNonceUsed', 400, 'signature', true, 502],
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

  it('given an upstream message carrying the callee and the AccessKey id, then the error, its reason and its message mask both', () => {
    const message =
      'Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DLTAI5tHarnessKey0001%26Called%3D13000000000%26Callee%3D%2B8613000000000%26SecurityToken%3DSTS.NUxyzSecretish0001';
    const teaError = Object.assign(new Error(`code: 400, ${message}`), {
      code: 'SignatureDoesNotMatch',
      data: { statusCode: 400, Message: message, RequestId: 'R-2' },
    });

    const error = toDyvmsError(teaError, 400);

    for (const text of [error.message, error.upstreamMessage, JSON.stringify(errorFields(error))]) {
      expect(text).not.toMatch(/13000000000|LTAI5tHarnessKey0001|STS\.NUxyzSecretish0001/);
      expect(text).toMatch(/130\*\*\*\*0000/);
      expect(text).toMatch(/LTAI\*\*\*\*/);
    }
  });
});
