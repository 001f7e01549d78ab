package io.bookinghub.toolkit.http;

import io.bookinghub.spi.ErrorCode;

/**
 * The one table from a provider's HTTP status to the SPI's {@link ErrorCode}, used by {@link ProviderHttp}:
 *
 * <table>
 * <caption>Provider status to error code</caption>
 * <tr><th>status</th><th>code</th><th>retried (idempotent requests)</th></tr>
 * <tr><td>2xx with a body that is not JSON (an HTML page, truncated JSON)</td><td>PROVIDER_ERROR</td><td>no</td></tr>
 * <tr><td>3xx (redirects are never followed)</td><td>PROVIDER_ERROR</td><td>no</td></tr>
 * <tr><td>400, 422</td><td>INVALID_INPUT</td><td>no</td></tr>
 * <tr><td>401, 403</td><td>AUTH_REQUIRED (after one refresh, if the {@link RequestAuth} can)</td><td>no</td></tr>
 * <tr><td>404 on one record</td><td>NOT_FOUND</td><td>no</td></tr>
 * <tr><td>404 on a list ({@link ProviderRequest#list()})</td><td>PROVIDER_ERROR: the endpoint is missing, which
 *     is never "no records"</td><td>no</td></tr>
 * <tr><td>409</td><td>CONFLICT</td><td>no</td></tr>
 * <tr><td>412</td><td>VERSION_MISMATCH</td><td>no</td></tr>
 * <tr><td>429</td><td>RATE_LIMITED</td><td>yes, honouring Retry-After</td></tr>
 * <tr><td>500–599</td><td>PROVIDER_UNAVAILABLE</td><td>yes, honouring Retry-After</td></tr>
 * <tr><td>any other</td><td>PROVIDER_ERROR</td><td>no</td></tr>
 * <tr><td>no response (refused connection, timeout)</td><td>PROVIDER_UNAVAILABLE</td><td>yes</td></tr>
 * <tr><td>destination refused by the hub's outbound policy</td><td>INVALID_INPUT (from the hub)</td><td>no</td></tr>
 * </table>
 *
 * <p>A connector that knows more refines a code with {@link ProviderHttp.Builder#refineErrors} (e.g. a 409 whose
 * body says {@code slot_unavailable} is SLOT_UNAVAILABLE).
 */
public final class StatusCodes {
    private StatusCodes() {
    }

    /** The code for a non-2xx {@code status}; {@code list} when the request named a list endpoint. */
    public static ErrorCode codeFor(int status, boolean list) {
        if (status >= 500 && status <= 599) {
            return ErrorCode.PROVIDER_UNAVAILABLE;
        }
        return switch (status) {
            case 400, 422 -> ErrorCode.INVALID_INPUT;
            case 401, 403 -> ErrorCode.AUTH_REQUIRED;
            case 404 -> list ? ErrorCode.PROVIDER_ERROR : ErrorCode.NOT_FOUND;
            case 409 -> ErrorCode.CONFLICT;
            case 412 -> ErrorCode.VERSION_MISMATCH;
            case 429 -> ErrorCode.RATE_LIMITED;
            default -> ErrorCode.PROVIDER_ERROR;
        };
    }

    /** Whether an idempotent request that got {@code status} is sent again: 429 and every 5xx. */
    public static boolean retried(int status) {
        return status == 429 || status >= 500 && status <= 599;
    }
}
