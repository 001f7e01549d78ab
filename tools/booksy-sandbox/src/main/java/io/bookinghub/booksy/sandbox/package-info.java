/**
 * A stateful simulator of the assumed Booksy API, for the demo (module {@code demo}), the hub's end-to-end
 * tests and benchmarks; it is kept out of the production hub jar.
 *
 * <p>Entry point: {@link io.bookinghub.booksy.sandbox.BooksySandbox}. It serves the wire format shared with the
 * Booksy connector (OAuth 2.0 authorization code + PKCE S256 under {@code /oauth/*}, paginated resources under
 * {@code /api/v1/*}, plus the single record {@code GET /api/v1/appointments/{id}} the connector reads for id-only
 * webhook payloads) for one seeded business {@code b-1001}, and posts Standard Webhooks-signed events for every
 * mutation made through its Java API. It depends on nothing from the hub on purpose: it must not share code
 * with the connector it exercises.
 */
package io.bookinghub.booksy.sandbox;
