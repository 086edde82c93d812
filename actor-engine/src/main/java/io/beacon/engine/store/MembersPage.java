package io.beacon.engine.store;

import java.util.List;

/**
 * One page of a segment's members in one partition, ordered by user key.
 *
 * @param userKeys  {@code project:person} keys
 * @param nextAfter the key to pass as {@code afterUserKey} for the next page, {@code null} when this was the last
 */
public record MembersPage(List<String> userKeys, String nextAfter) {
    public MembersPage {
        userKeys = List.copyOf(userKeys);
    }
}
