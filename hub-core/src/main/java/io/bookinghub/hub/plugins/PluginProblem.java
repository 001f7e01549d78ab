package io.bookinghub.hub.plugins;

/** A plugin (or plugin file) that did not yield a usable connector, and why. */
public record PluginProblem(String plugin, String reason) {
}
