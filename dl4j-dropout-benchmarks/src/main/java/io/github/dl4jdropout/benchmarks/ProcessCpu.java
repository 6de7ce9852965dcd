package io.github.dl4jdropout.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * CPU time used by this JVM process so far, all threads together (the paired benchmarks and {@link McCpuTime}
 * report it beside wall time, because wall time on a shared machine includes other processes' time).
 */
final class ProcessCpu {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {
    }

    /** @return the process's CPU time in nanoseconds, as {@code OperatingSystemMXBean.getProcessCpuTime()} */
    static long nanos() {
        return OS.getProcessCpuTime();
    }
}
