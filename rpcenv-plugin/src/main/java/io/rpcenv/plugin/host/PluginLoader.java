package io.rpcenv.plugin.host;

import io.rpcenv.RpcConf;
import io.rpcenv.SecurityConfigKeys;
import io.rpcenv.plugin.PluginConfigKeys;
import io.rpcenv.plugin.PluginException;
import io.rpcenv.plugin.RpcPlugin;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugins named by {@code spark.plugins.defaultList} followed by {@code spark.plugins},
 * each once. Class names come from the configuration, which is trusted: on executors it is the
 * driver's.
 */
public final class PluginLoader {
  private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);

  private PluginLoader() {}

  /** The plugin class names to load, in order, without duplicates. */
  public static List<String> pluginNames(RpcConf conf) {
    Set<String> names = new LinkedHashSet<>();
    for (String list :
        new String[] {
          conf.get(PluginConfigKeys.PLUGINS_DEFAULT_LIST), conf.get(PluginConfigKeys.PLUGINS)
        }) {
      for (String n : list.split(",", -1)) {
        if (!n.isBlank()) {
          names.add(n.trim());
        }
      }
    }
    return new ArrayList<>(names);
  }

  /**
   * The loader to find plugins with: the calling thread's context loader (hosts such as Spark set
   * it to one that holds the application's jars), else the one that loaded {@code fallback}.
   */
  public static ClassLoader contextLoader(Class<?> fallback) {
    ClassLoader l = Thread.currentThread().getContextClassLoader();
    return l != null ? l : fallback.getClassLoader();
  }

  /**
   * Adds the package of every configured plugin class ({@code com.example.*}, not its subpackages)
   * to {@code spark.rpc.serializer.allowList} in {@code conf}, so a plugin's messages declared
   * beside it need no hand-written entry. The plugin names come from the trusted configuration, as
   * the classes they load do; messages elsewhere still need their own entry. Call before the env is
   * created from {@code conf}.
   */
  public static void allowPluginPackages(RpcConf conf) {
    Set<String> patterns = new LinkedHashSet<>();
    for (String p : conf.get(SecurityConfigKeys.SERIALIZER_ALLOW_LIST).split(",", -1)) {
      if (!p.isBlank()) {
        patterns.add(p.trim());
      }
    }
    for (String name : pluginNames(conf)) {
      int dot = name.lastIndexOf('.');
      if (dot > 0) {
        patterns.add(name.substring(0, dot) + ".*");
      }
    }
    conf.set(SecurityConfigKeys.SERIALIZER_ALLOW_LIST, String.join(",", patterns));
  }

  /**
   * Instantiates every configured plugin; throws {@link PluginException} naming the class and the
   * reason.
   */
  public static List<RpcPlugin> load(RpcConf conf, ClassLoader loader) {
    List<RpcPlugin> plugins = new ArrayList<>();
    for (String name : pluginNames(conf)) {
      RpcPlugin p = instantiate(name, conf, loader);
      if (p != null) {
        plugins.add(p);
      }
    }
    return plugins;
  }

  private static RpcPlugin instantiate(String name, RpcConf conf, ClassLoader loader) {
    Class<?> c;
    try {
      c = Class.forName(name, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new PluginException(
          "Plugin class " + name + " (from spark.plugins) could not be loaded: " + e, e);
    }
    if (!RpcPlugin.class.isAssignableFrom(c)) {
      throw new PluginException(
          name + " is not a plugin: it must implement " + RpcPlugin.class.getName(), null);
    }
    Constructor<?> ctor;
    Object[] args;
    try {
      ctor = c.getConstructor(RpcConf.class);
      args = new Object[] {conf};
    } catch (NoSuchMethodException e) {
      try {
        ctor = c.getConstructor();
        args = new Object[0];
      } catch (NoSuchMethodException e2) {
        throw new PluginException(
            "Plugin "
                + name
                + " has no public constructor taking no arguments or an "
                + RpcConf.class.getName(),
            e2);
      }
    }
    try {
      return (RpcPlugin) ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof UnsupportedOperationException) {
        LOG.debug("Plugin {} declined to load here: {}", name, e.getCause().getMessage());
        return null;
      }
      throw new PluginException(
          "Plugin " + name + " failed in its constructor: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new PluginException("Plugin " + name + " could not be instantiated: " + e, e);
    }
  }
}
