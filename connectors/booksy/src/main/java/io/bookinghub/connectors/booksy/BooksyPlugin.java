package io.bookinghub.connectors.booksy;

import org.pf4j.Plugin;

/**
 * PF4J plugin entry point. The connector has no plugin-wide state; the class exists because PF4J
 * instantiates {@code plugin.class} when it starts the plugin.
 */
public final class BooksyPlugin extends Plugin {
}
