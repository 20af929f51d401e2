package io.rpcenv.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rpcenv.RpcConf;
import io.rpcenv.plugin.fixtures.BadPlugins;
import io.rpcenv.plugin.fixtures.EchoPlugin;
import io.rpcenv.plugin.fixtures.SecondPlugin;
import io.rpcenv.plugin.host.PluginLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginLoaderTest {
  private static List<RpcPlugin> load(RpcConf conf) {
    return PluginLoader.load(conf, PluginLoaderTest.class.getClassLoader());
  }

  @Test
  void theDefaultListComesFirstAndDuplicatesLoadOnce() {
    RpcConf conf =
        new RpcConf()
            .set("spark.plugins.defaultList", "a.B, c.D")
            .set("spark.plugins", "c.D,e.F,,a.B ");
    assertThat(PluginLoader.pluginNames(conf)).containsExactly("a.B", "c.D", "e.F");
    assertThat(PluginLoader.pluginNames(new RpcConf())).isEmpty();
  }

  @Test
  void loadsNoArgAndConfConstructors() {
    List<RpcPlugin> plugins =
        load(
            new RpcConf()
                .set(
                    "spark.plugins",
                    EchoPlugin.class.getName() + "," + SecondPlugin.class.getName()));
    assertThat(plugins).hasSize(2);
    assertThat(plugins.get(0)).isInstanceOf(EchoPlugin.class);
    assertThat(plugins.get(1)).isInstanceOf(SecondPlugin.class);
  }

  @Test
  void aClassThatIsNotAPluginIsRefusedNamingIt() {
    assertThatThrownBy(
            () -> load(new RpcConf().set("spark.plugins", BadPlugins.NotAPlugin.class.getName())))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining(BadPlugins.NotAPlugin.class.getName())
        .hasMessageContaining("must implement io.rpcenv.plugin.RpcPlugin");
  }

  @Test
  void aPluginWithoutAUsableConstructorIsRefusedNamingIt() {
    assertThatThrownBy(
            () -> load(new RpcConf().set("spark.plugins", BadPlugins.NeedsAString.class.getName())))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining(BadPlugins.NeedsAString.class.getName())
        .hasMessageContaining("no public constructor taking no arguments or an io.rpcenv.RpcConf");
  }

  @Test
  void aFailingConstructorIsReportedWithItsCause() {
    assertThatThrownBy(
            () -> load(new RpcConf().set("spark.plugins", BadPlugins.Explodes.class.getName())))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining(BadPlugins.Explodes.class.getName())
        .hasMessageContaining("boom in constructor");
  }

  @Test
  void aMissingClassIsReportedNamingTheSetting() {
    assertThatThrownBy(() -> load(new RpcConf().set("spark.plugins", "no.such.Plugin")))
        .isInstanceOf(PluginException.class)
        .hasMessageContaining("no.such.Plugin")
        .hasMessageContaining("spark.plugins");
  }

  @Test
  void aConstructorThrowingUnsupportedOperationSkipsThePlugin() {
    assertThat(
            load(
                new RpcConf()
                    .set(
                        "spark.plugins",
                        BadPlugins.Declines.class.getName() + "," + EchoPlugin.class.getName())))
        .hasSize(1)
        .first()
        .isInstanceOf(EchoPlugin.class);
  }
}
