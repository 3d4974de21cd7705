package dev.etch.bench.peers;

import org.openjdk.jmh.annotations.Fork;

/**
 * The forked JVM every peer benchmark needs, declared once: JMH's {@link Fork} is inherited,
 * so a benchmark class that extends this one runs with these flags.
 *
 * <ul>
 *   <li>Chronicle Map on JDK 17+ needs its documented exports and opens, and is kept from
 *       reaching its analytics server at start-up;</li>
 *   <li>EclipseStore persists records through {@code jdk.internal.misc.Unsafe} (its documented
 *       flag).</li>
 * </ul>
 * The flags are harmless for the other systems.
 */
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public abstract class OnEveryPeer {
}
