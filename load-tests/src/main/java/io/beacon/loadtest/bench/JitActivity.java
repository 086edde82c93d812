package io.beacon.loadtest.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * How busy this JVM's JIT compilers are. Everything of a bench run (broker, node, generator) shares one JVM, whose
 * JIT keeps compiling for a minute or more after a phase starts on 2 cores; a fixed warm-up measured part of that
 * (compiler threads took a quarter of the engine phase's CPU). Phases warm up until the compilers have settled.
 */
final class JitActivity {
    /** A warm-up chunk counts as settled when the compilers spent at most this share of its wall time. */
    static final double SETTLED_SHARE = 0.03;

    private JitActivity() {
    }

    /** Accumulated compile time of all compiler threads in ms, or -1 when the JVM does not measure it. */
    static long compileMillis() {
        CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
        return bean != null && bean.isCompilationTimeMonitoringSupported() ? bean.getTotalCompilationTime() : -1;
    }

    /** Whether {@code compiledMs} of compile time during {@code wallMs} counts as settled (unknown counts as settled). */
    static boolean settled(long compiledMs, long wallMs) {
        return compiledMs < 0 || compiledMs <= wallMs * SETTLED_SHARE;
    }
}
