package io.beacon.cdp.outbox;

import io.beacon.event.cdp.OutboxMessage;
import io.beacon.event.cdp.RetryEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.function.ToLongFunction;

/**
 * The pure bookkeeping of one outbox partition (and the retry partition of the same number): which messages wait,
 * in which order, which one of each key may go next, and up to which offsets the outbox and the retry topic may be
 * committed without losing a message.
 *
 * <p>Order: one key's messages ({@code project:destination:person}) go one at a time, in outbox order; the keys are
 * independent, so a failing person or destination never holds up another (no head-of-line blocking across keys).
 * A message that failed waits for its retry in the retry topic (parked), and so does every later message of its key,
 * so the outbox's committed offset moves on while they wait and a restart finds them in the retry topic, in order.
 *
 * <p>Commit points: the outbox up to its lowest offset still held unfinished (nothing parked is held there), the
 * retry topic up to the lowest offset of a record that is still live (its message neither finished nor re-parked).
 * Everything before a commit point is durable elsewhere or done; a crash replays from there (at least once).
 */
final class PartitionLedger {
    /** What {@link #onOutbox} decided about a record. */
    enum Admission {
        /** Held; it goes when it is the head of its key. */
        HELD,
        /** Held, and must be parked in the retry topic now: its key waits behind a retry. */
        PARK,
        /** Already known (a replayed or duplicated outbox record): nothing to do. */
        DUPLICATE
    }

    private final Map<String, Deque<Pending>> keys = new HashMap<>();
    private final Map<String, Pending> byId = new HashMap<>();
    /** Keys whose head may be due, by due time; stale entries are skipped when taken. */
    private final PriorityQueue<Due> due = new PriorityQueue<>();
    /** Per lane ({@code project:destination}) that refused a head: the keys waiting for it to accept again. */
    private final Map<String, LaneWait> laneWaits = new HashMap<>();
    /** Message ids finished lately, to drop a duplicate outbox record that arrives after its twin was delivered. */
    private final Map<String, Boolean> recentlyFinished;
    private long scheduled;
    private long outboxNext = -1;
    private long retryNext = -1;
    private int size;

    /** Keys whose due heads a lane refused, oldest refusal first, and when to ask the lane again. */
    private static final class LaneWait {
        final ArrayDeque<String> keys = new ArrayDeque<>();
        long wakeAtMs;

        LaneWait(long wakeAtMs) {
            this.wakeAtMs = wakeAtMs;
        }
    }

    /** Equal due times go in the order they were scheduled ({@code order}), so keys are served first come, first served. */
    private record Due(long atMs, long order, String key) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(atMs, o.atMs);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    PartitionLedger(int rememberFinished) {
        this.recentlyFinished = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > rememberFinished;
            }
        };
    }

    /** Messages held (any state). */
    int size() {
        return size;
    }

    // ---- input -----------------------------------------------------------------------------------

    /**
     * Folds one retry-topic record read while catching up after an assignment: the latest record of a message wins,
     * a done marker drops it.
     */
    void foldRetry(long offset, RetryEntry e) {
        retryNext = Math.max(retryNext, offset + 1);
        String id = e.message().messageId();
        Pending p = byId.get(id);
        if (e.done()) {
            if (p != null) {
                remove(p);
            }
            recentlyFinished.put(id, Boolean.TRUE);
            return;
        }
        if (p == null) {
            p = new Pending(e.message(), e.sequence(), e.attempt(), e.dueAtMs(), -1, offset, e.lastError());
            insert(p);
        } else {
            p.attempt = e.attempt();
            p.dueAtMs = e.dueAtMs();
            p.retryOffset = offset;
            p.lastError = e.lastError();
            schedule(p.key());
        }
    }

    /** One outbox record, in offset order. */
    Admission onOutbox(long offset, OutboxMessage m, long nowMs) {
        outboxNext = Math.max(outboxNext, offset + 1);
        String id = m.messageId();
        if (byId.containsKey(id) || recentlyFinished.containsKey(id)) {
            return Admission.DUPLICATE;
        }
        Deque<Pending> q = keys.get(m.key());
        boolean behindRetry = q != null && !q.isEmpty() && waitsInRetryTopic(q);
        Pending p = new Pending(m, offset, 1, nowMs, offset, -1, null);
        insert(p);
        if (behindRetry) {
            p.state = Pending.State.PARKING;
            return Admission.PARK;
        }
        return Admission.HELD;
    }

    // a key waits in the retry topic when any of its messages is parked there (or being parked)
    private static boolean waitsInRetryTopic(Deque<Pending> q) {
        for (Pending p : q) {
            if (p.retryOffset >= 0 || p.state == Pending.State.PARKING) {
                return true;
            }
        }
        return false;
    }

    /** The held message with this id (the one {@link #onOutbox} just admitted for parking). */
    Pending findHeld(String messageId) {
        return byId.get(messageId);
    }

    // ---- dispatch --------------------------------------------------------------------------------

    /**
     * The heads that are due at {@code nowMs} and that {@code accept} takes. It is asked in due order and answers 0
     * to take a head, or the time (epoch ms, after now) to ask again, e.g. when the destination is at its concurrency
     * or rate limit or its circuit is open; a refused head stays waiting. Taken heads are in flight until
     * {@link #delivered}, {@link #retryLater}, {@link #deadLettered} or {@link #release}.
     *
     * <p>A refusal is the destination's, not the message's: the refused key joins its lane's queue and the lane is
     * asked again only at the time it named, first for the key refused first; later due heads of that lane join the
     * queue behind it without asking. So a backlog of thousands of persons behind one busy destination costs one
     * question per lane and pass, not one per person.
     */
    List<Pending> takeDue(long nowMs, ToLongFunction<Pending> accept) {
        List<Pending> taken = new ArrayList<>();
        if (!laneWaits.isEmpty()) {
            Iterator<LaneWait> it = laneWaits.values().iterator();
            while (it.hasNext()) {
                LaneWait w = it.next();
                if (w.wakeAtMs > nowMs) {
                    continue;
                }
                drain(w, nowMs, accept, taken);
                if (w.keys.isEmpty()) {
                    it.remove();
                }
            }
        }
        while (!due.isEmpty() && due.peek().atMs() <= nowMs) {
            Due d = due.poll();
            Pending head = dueHead(d.key(), nowMs);
            if (head == null) {
                continue;
            }
            LaneWait w = laneWaits.get(head.lane);
            if (w != null) {
                w.keys.addLast(d.key()); // its lane refused earlier in line: wait behind those
                continue;
            }
            long askAgainAt = accept.applyAsLong(head);
            if (askAgainAt <= 0) {
                head.state = Pending.State.IN_FLIGHT;
                taken.add(head);
            } else {
                w = new LaneWait(Math.max(askAgainAt, nowMs + 1));
                w.keys.addLast(d.key());
                laneWaits.put(head.lane, w);
            }
        }
        return taken;
    }

    // asks the lane for its queued keys in order until it refuses (then it names the time to ask again)
    private void drain(LaneWait w, long nowMs, ToLongFunction<Pending> accept, List<Pending> taken) {
        while (!w.keys.isEmpty()) {
            String key = w.keys.peekFirst();
            Pending head = dueHead(key, nowMs);
            if (head == null) {
                w.keys.pollFirst(); // stale: the head moved on; it is rescheduled when it changes
                continue;
            }
            long askAgainAt = accept.applyAsLong(head);
            if (askAgainAt > 0) {
                w.wakeAtMs = Math.max(askAgainAt, nowMs + 1);
                return;
            }
            w.keys.pollFirst();
            head.state = Pending.State.IN_FLIGHT;
            taken.add(head);
        }
    }

    // the head of key when it is waiting and due, else null
    private Pending dueHead(String key, long nowMs) {
        Deque<Pending> q = keys.get(key);
        if (q == null || q.isEmpty()) {
            return null;
        }
        Pending head = q.peekFirst();
        return head.state == Pending.State.WAITING && head.dueAtMs <= nowMs ? head : null;
    }

    /** When the earliest waiting head falls due or a refusing lane is to be asked again, if any. */
    OptionalLong nextDueAtMs() {
        long next = due.isEmpty() ? Long.MAX_VALUE : due.peek().atMs();
        for (LaneWait w : laneWaits.values()) {
            next = Math.min(next, w.wakeAtMs);
        }
        return next == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(next);
    }

    // ---- outcomes --------------------------------------------------------------------------------

    /**
     * The attempt succeeded. Returns true when the message is finished now; false when it was parked in the retry
     * topic and a done marker must be written first ({@link #finished} once it is acked).
     */
    boolean delivered(Pending p) {
        return finishOrMark(p);
    }

    /**
     * The message goes to the DLQ; call once the dead letter is acked. Same answer as {@link #delivered}.
     */
    boolean deadLettered(Pending p) {
        return finishOrMark(p);
    }

    private boolean finishOrMark(Pending p) {
        if (p.retryOffset < 0) {
            remove(p);
            recentlyFinished.put(p.messageId(), Boolean.TRUE);
            return true;
        }
        p.state = Pending.State.FINISHING;
        return false;
    }

    /** The done marker of a parked message was acked: it is finished. */
    void finished(Pending p) {
        remove(p);
        recentlyFinished.put(p.messageId(), Boolean.TRUE);
    }

    /**
     * The attempt failed and the message is to be tried again as {@code nextAttempt} at {@code dueAtMs}. Returns the
     * messages to park in the retry topic now, in key order: this one and every later message of its key not yet
     * parked (they wait behind it). Each is {@link Pending.State#PARKING} until {@link #parked}.
     */
    List<Pending> retryLater(Pending p, int nextAttempt, long dueAtMs, String error, int status) {
        p.attempt = nextAttempt;
        p.dueAtMs = dueAtMs;
        p.lastError = error;
        p.lastStatus = status;
        p.state = Pending.State.PARKING;
        List<Pending> park = new ArrayList<>();
        park.add(p);
        for (Pending f : keys.get(p.key())) {
            if (f != p && f.retryOffset < 0 && f.state == Pending.State.WAITING) {
                f.state = Pending.State.PARKING;
                park.add(f);
            }
        }
        return park;
    }

    /** The retry record of {@code p} was acked at {@code offset}: the outbox no longer holds it. */
    void parked(Pending p, long offset) {
        retryNext = Math.max(retryNext, offset + 1);
        p.retryOffset = offset;
        p.outboxOffset = -1;
        if (p.state == Pending.State.PARKING) {
            p.state = Pending.State.WAITING;
        }
        schedule(p.key());
    }

    /** A retry-topic record we wrote (a done marker) was acked at {@code offset}. */
    void retryWritten(long offset) {
        retryNext = Math.max(retryNext, offset + 1);
    }

    /** The attempt's result is void (the partition was lost, the worker stops): the message waits again. */
    void release(Pending p) {
        if (p.state == Pending.State.IN_FLIGHT) {
            p.state = Pending.State.WAITING;
            schedule(p.key());
        }
    }

    // ---- commit points ---------------------------------------------------------------------------

    /** The outbox offset to commit (the next one to read after a restart), or empty when nothing was read. */
    OptionalLong outboxCommit() {
        long min = Long.MAX_VALUE;
        for (Pending p : byId.values()) {
            if (p.outboxOffset >= 0) {
                min = Math.min(min, p.outboxOffset);
            }
        }
        if (min != Long.MAX_VALUE) {
            return OptionalLong.of(min);
        }
        return outboxNext < 0 ? OptionalLong.empty() : OptionalLong.of(outboxNext);
    }

    /** The retry-topic offset to commit, or empty when nothing was read or written. */
    OptionalLong retryCommit() {
        long min = Long.MAX_VALUE;
        for (Pending p : byId.values()) {
            if (p.retryOffset >= 0) {
                min = Math.min(min, p.retryOffset);
            }
        }
        if (min != Long.MAX_VALUE) {
            return OptionalLong.of(min);
        }
        return retryNext < 0 ? OptionalLong.empty() : OptionalLong.of(retryNext);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private void insert(Pending p) {
        Deque<Pending> q = keys.computeIfAbsent(p.key(), k -> new ArrayDeque<>());
        if (q.isEmpty() || q.peekLast().sequence < p.sequence) {
            q.addLast(p);
        } else {
            // folded retries can arrive out of key order; keep the key sorted by its outbox sequence
            List<Pending> all = new ArrayList<>(q);
            all.add(p);
            all.sort((a, b) -> Long.compare(a.sequence, b.sequence));
            q.clear();
            q.addAll(all);
        }
        byId.put(p.messageId(), p);
        size++;
        schedule(p.key());
    }

    private void remove(Pending p) {
        Deque<Pending> q = keys.get(p.key());
        if (q != null && q.remove(p)) {
            size--;
            if (q.isEmpty()) {
                keys.remove(p.key());
            } else {
                schedule(p.key());
            }
        }
        byId.remove(p.messageId());
    }

    private void schedule(String key) {
        Deque<Pending> q = keys.get(key);
        if (q != null && !q.isEmpty() && q.peekFirst().state == Pending.State.WAITING) {
            due.add(new Due(q.peekFirst().dueAtMs, scheduled++, key));
        }
    }
}
