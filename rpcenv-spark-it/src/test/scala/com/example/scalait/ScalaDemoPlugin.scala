package com.example.scalait

import io.rpcenv.plugin.{DriverPlugin, ExecutorPlugin, PluginContext, RpcPlugin}

import java.util.{Map => JMap}

/** The request of the demo's conversation, as Scala plugin authors first wrote it. */
case object InitialConfigRequest

/** The driver's answer. */
case class InitialConfigResponse(value: Int)

/** What each executor sends when it stops. */
case class FinalValueResponse(value: Int)

/**
 * The demo plugin written in Scala: each executor asks for its initial configuration with a case
 * object (the driver matches on the singleton), prints the case class reply, and sends ten times
 * the value when it stops, which the driver prints.
 */
class ScalaDemoPlugin extends RpcPlugin {
  override def driverPlugin(): DriverPlugin = new DriverPlugin {
    override def receive(message: AnyRef): AnyRef = message match {
      case InitialConfigRequest => InitialConfigResponse(10)
      case FinalValueResponse(v) =>
        println(s"scala: the final value is $v")
        null
      case other =>
        throw new IllegalArgumentException(s"ScalaDemoPlugin does not understand $other")
    }
  }

  override def executorPlugin(): ExecutorPlugin = new ExecutorPlugin {
    private var ctx: PluginContext = null
    private var value = 0

    override def init(ctx: PluginContext, extraConf: JMap[String, String]): Unit = {
      this.ctx = ctx
      value = ctx.ask(InitialConfigRequest, classOf[InitialConfigResponse]).value
      println(s"scala: the initial configuration is $value")
      try {
        ctx.ask(com.example.scalait.outside.Outsider)
        println("scala: the outsider was let in")
      } catch {
        case e: Exception => println(s"scala: the outsider was refused: ${e.getMessage}")
      }
    }

    override def shutdown(): Unit = ctx.send(FinalValueResponse(value * 10))
  }
}
