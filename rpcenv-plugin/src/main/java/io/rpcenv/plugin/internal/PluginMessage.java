package io.rpcenv.plugin.internal;

import java.io.Serializable;

/**
 * A message for one plugin's counterpart in another process.
 *
 * @param pluginName the plugin's class name, which routes the message
 * @param message the plugin's own message
 */
public record PluginMessage(String pluginName, Object message) implements Serializable {}
