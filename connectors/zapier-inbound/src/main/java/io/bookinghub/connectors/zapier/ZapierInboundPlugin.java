package io.bookinghub.connectors.zapier;

import org.pf4j.Plugin;

/** PF4J plugin entry point; the connector has no plugin-wide state. */
public final class ZapierInboundPlugin extends Plugin {
}
