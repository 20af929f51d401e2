package com.example.scalait.outside

/**
 * A case object in a package the adapter does not admit (a subpackage of the plugin's): it must be
 * refused although the proxy Scala writes it as is always admitted.
 */
case object Outsider
