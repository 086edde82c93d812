package io.beacon.control.topicview;

/**
 * A view cannot serve the call: its topic could not be created or read, it did not catch up in time,
 * it stopped or was closed, or Kafka did not acknowledge a write.
 */
public final class TopicViewUnavailableException extends RuntimeException {
    public TopicViewUnavailableException(String message) {
        super(message);
    }

    public TopicViewUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
