package io.beacon.cdp.dlq;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The pure core of a replay: of the selected letters, which go back to the outbox and which replay markers are
 * written. No I/O.
 *
 * <ul>
 *   <li>A letter whose marker ({@link CdpDlqEntry#replayKey()}) exists was replayed by an earlier call: skipped
 *       ({@link #alreadyReplayed()}) unless {@code force}.</li>
 *   <li>Of several selected letters of one message id (the message failed, was replayed, failed again) only the
 *       first in DLQ order is replayed ({@link #duplicates()}): the outbox gets each message once per call.</li>
 *   <li>Markers are written for every letter replayed or folded into a replayed one, so an identical second call
 *       replays nothing.</li>
 * </ul>
 */
public final class CdpReplayPlan {

    private final List<CdpDlqEntry> replays;
    private final Set<String> markers;
    private final int selected;
    private final int alreadyReplayed;
    private final int duplicates;

    private CdpReplayPlan(List<CdpDlqEntry> replays, Set<String> markers, int selected, int alreadyReplayed,
                          int duplicates) {
        this.replays = List.copyOf(replays);
        this.markers = Set.copyOf(markers);
        this.selected = selected;
        this.alreadyReplayed = alreadyReplayed;
        this.duplicates = duplicates;
    }

    /**
     * @param selected the letters the filter picked, in DLQ order
     * @param replayed the replay keys of the markers written so far
     * @param force    replay letters that were replayed before, too
     */
    public static CdpReplayPlan of(List<CdpDlqEntry> selected, Set<String> replayed, boolean force) {
        List<CdpDlqEntry> replays = new ArrayList<>();
        Set<String> markers = new LinkedHashSet<>();
        Set<String> messageIds = new HashSet<>();
        int already = 0;
        int duplicates = 0;
        for (CdpDlqEntry entry : selected) {
            String key = entry.replayKey();
            if (!force && replayed.contains(key)) {
                already++;
            } else if (!messageIds.add(entry.letter().message().messageId())) {
                duplicates++;
                markers.add(key);
            } else {
                replays.add(entry);
                markers.add(key);
            }
        }
        return new CdpReplayPlan(replays, markers, selected.size(), already, duplicates);
    }

    /** The letters whose message goes back to the outbox, in DLQ order. */
    public List<CdpDlqEntry> replays() {
        return replays;
    }

    /** The replay keys to mark once the replays are acknowledged. */
    public Set<String> markers() {
        return markers;
    }

    public int selected() {
        return selected;
    }

    public int alreadyReplayed() {
        return alreadyReplayed;
    }

    public int duplicates() {
        return duplicates;
    }
}
