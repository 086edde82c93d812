package io.beacon.cdp.dlq;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.dlq.DeadLetterSettings;
import io.beacon.control.dlq.DeadLetterUnavailableException;
import io.beacon.event.RefusedException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code ./beacon cdp dlq list|replay …} as a value: the words parsed here (pure, refusing what the API refuses, with
 * the option's name), run by {@link #run} against Kafka directly, as {@code ./beacon dlq} does; the platform's
 * command line only prints the answer. Without {@code --project} it sees every project's letters (operators).
 *
 * @param replay  replay (else list)
 * @param filter  which letters
 * @param limit   page size of a listing
 * @param cursor  where a listing starts ({@code null}: the beginning)
 * @param dryRun  a replay only counts
 * @param force   a replay ignores earlier replays
 */
public record CdpDlqCommand(boolean replay, CdpDlqFilter filter, int limit, CdpDlqCursor cursor, boolean dryRun,
                            boolean force) {

    public static final String USAGE = "usage: ./beacon cdp dlq list [--project P] [--destination D|all] [--from T] [--to T]"
            + " [--error-class C] [--limit N] [--cursor C] | ./beacon cdp dlq replay --destination D|all [--project P]"
            + " [--from T] [--to T] [--error-class C] [--dry-run] [--force]  (T: epoch ms or ISO-8601 with an offset)";

    public CdpDlqCommand {
        Objects.requireNonNull(filter, "filter");
    }

    /**
     * The command of {@code args} (what follows {@code cdp}).
     *
     * @throws IllegalArgumentException naming the option at fault, or with {@link #USAGE}
     */
    public static CdpDlqCommand parse(String[] args) {
        if (args.length < 2 || !args[0].equals("dlq") || !(args[1].equals("list") || args[1].equals("replay"))) {
            throw new IllegalArgumentException(USAGE);
        }
        boolean replay = args[1].equals("replay");
        boolean dryRun = false;
        boolean force = false;
        Map<String, String> opts = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            if (replay && args[i].equals("--dry-run")) {
                dryRun = true;
            } else if (replay && args[i].equals("--force")) {
                force = true;
            } else if (args[i].startsWith("--") && i + 1 < args.length && !opts.containsKey(args[i].substring(2))) {
                opts.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected '" + args[i] + "'; " + USAGE);
            }
        }
        try {
            CdpDlqFilter filter = Optional.ofNullable(opts.remove("project")).map(CdpDlqFilter::project)
                    .orElse(CdpDlqFilter.all());
            String destination = opts.remove("destination");
            if (replay && destination == null) {
                throw new IllegalArgumentException("--destination is required: a destination id, or "
                        + CdpDlqParams.ALL_DESTINATIONS + " for every destination");
            }
            if (destination != null && !destination.equals(CdpDlqParams.ALL_DESTINATIONS)) {
                filter = filter.withDestination(CdpDlqParams.destination(destination, "destination"));
            }
            String from = opts.remove("from");
            String to = opts.remove("to");
            filter = filter.withRange(from == null ? null : CdpDlqParams.time(from, "from"),
                    to == null ? null : CdpDlqParams.time(to, "to"));
            String errorClass = opts.remove("error-class");
            if (errorClass != null) {
                filter = filter.withErrorClass(CdpDlqParams.errorClass(errorClass, "error-class"));
            }
            int limit = CdpDlqParams.DEFAULT_LIMIT;
            CdpDlqCursor cursor = null;
            if (!replay) {
                String limitText = opts.remove("limit");
                String cursorText = opts.remove("cursor");
                limit = limitText == null ? limit : CdpDlqParams.limit(limitText);
                cursor = cursorText == null ? null : CdpDlqCursor.decode(cursorText);
            }
            if (!opts.isEmpty()) {
                throw new IllegalArgumentException("unknown option(s) " + opts.keySet() + "; " + USAGE);
            }
            return new CdpDlqCommand(replay, filter, limit, cursor, dryRun, force);
        } catch (RefusedException e) {
            throw new IllegalArgumentException((e.field() == null ? "" : "--" + e.field().replace('_', '-') + ": ")
                    + e.getMessage(), e);
        }
    }

    /**
     * Lists or replays against the DLQ {@code settings} name; the answer is the API's JSON.
     *
     * @throws DeadLetterUnavailableException when Kafka does not answer in time
     */
    public ObjectNode run(DeadLetterSettings settings) {
        CdpDlqBrowser browser = new CdpDlqBrowser(settings);
        CdpDlqReplayer replayer = new CdpDlqReplayer(browser);
        if (replay) {
            return CdpDlqJson.result(replayer.replay(filter, dryRun, force));
        }
        CdpDlqPage page = browser.list(filter, limit, cursor);
        return CdpDlqJson.page(page, page.letters().isEmpty() ? Map.of() : replayer.replayedAt());
    }
}
