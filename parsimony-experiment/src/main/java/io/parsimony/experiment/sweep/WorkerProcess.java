package io.parsimony.experiment.sweep;

import io.parsimony.experiment.job.Hashing;
import io.parsimony.experiment.job.JobOutcome;
import io.parsimony.experiment.job.TrainingJob;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/** The parent's side of one {@link SweepWorker} process: send a job, relay its progress, wait for its outcome. */
final class WorkerProcess implements AutoCloseable {

    /** The process ended (crashed, was killed) before answering. */
    static final class Died extends Exception {
        Died(String message) {
            super(message);
        }
    }

    private static final String EOF = "\0eof";

    final String name;
    private final Process process;
    private final BufferedWriter stdin;
    private final LinkedBlockingQueue<String> results = new LinkedBlockingQueue<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile Consumer<String> progress = s -> {
    };

    WorkerProcess(String name, WorkerLauncher launcher, Consumer<String> stderrSink) throws IOException {
        this.name = name;
        ProcessBuilder pb = new ProcessBuilder(launcher.command());
        pb.environment().putAll(launcher.env());
        this.process = pb.start();
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        Thread out = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith(SweepWorker.RESULT)) {
                        results.add(line.substring(SweepWorker.RESULT.length()));
                    } else if (line.startsWith(SweepWorker.PROGRESS)) {
                        progress.accept(line.substring(SweepWorker.PROGRESS.length()));
                    } else {
                        remember(line);
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            } finally {
                results.add(EOF);
            }
        }, name + "-stdout");
        Thread err = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    remember(line);
                    stderrSink.accept(line);
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, name + "-stderr");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
    }

    private synchronized void remember(String line) {
        if (tail.size() == 12) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }

    private synchronized String tail() {
        return String.join(" | ", tail);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Trains one job in the worker; progress lines go to {@code onProgress}. */
    JobOutcome run(TrainingJob job, Consumer<String> onProgress) throws Died, InterruptedException {
        progress = onProgress;
        try {
            stdin.write(Hashing.json(job));
            stdin.newLine();
            stdin.flush();
        } catch (IOException e) {
            throw died();
        }
        String answer = results.take();
        if (EOF.equals(answer)) {
            results.add(EOF);
            throw died();
        }
        try {
            return Hashing.JSON.readValue(answer, JobOutcome.class);
        } catch (IOException e) {
            throw new Died("worker " + name + " sent an unreadable answer: " + e.getMessage());
        }
    }

    private Died died() throws InterruptedException {
        process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        String code = process.isAlive() ? "still running" : "exit code " + process.exitValue();
        String t = tail();
        return new Died("worker " + name + " (pid " + process.pid() + ") ended (" + code + ")" + (t.isEmpty() ? "" : "; last output: " + t));
    }

    /** Ends the worker: closes its input (it exits after the job in hand), then kills it if it lingers. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed
        }
        try {
            if (!process.waitFor(3, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }

    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
