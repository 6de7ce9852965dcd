package io.github.dl4jdropout.examples.support;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars for long loops. On a terminal the bar redraws in place; elsewhere (logs, CI, JShell, Maven's test
 * runner) it prints one line every few seconds instead of filling the log with carriage returns.
 */
public final class Progress {

    private static final int LOG_INTERVAL_MILLIS = 5_000;

    private Progress() {
    }

    /**
     * Starts a bar; close it (try-with-resources) when the loop ends.
     *
     * @param task  what is running, shown left of the bar
     * @param steps total number of steps
     * @return the bar
     */
    public static ProgressBar start(String task, long steps) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setMaxRenderedLength(120);
        if (System.console() == null) {
            builder.setConsumer(new DelegatingProgressBarConsumer(System.out::println, 150))
                    .setUpdateIntervalMillis(LOG_INTERVAL_MILLIS);
        }
        return builder.build();
    }
}
