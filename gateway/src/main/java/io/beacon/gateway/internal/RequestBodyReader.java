package io.beacon.gateway.internal;

import io.beacon.event.RejectionCode;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.StreamLimitReachedException;
import org.apache.pekko.stream.javadsl.Compression;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Reads a request body into memory, decompressing {@code gzip}/{@code deflate}, never holding more
 * than the request limit: the limit applies to the bytes as received (so an oversized upload is cut
 * off early) and again to the inflated bytes as they are produced (so a small gzip bomb is cut off
 * after {@code maxBytes} of output, not after inflating it all).
 */
public final class RequestBodyReader {
    /** Largest chunk the decompressor emits at once. */
    private static final int INFLATE_CHUNK = 16 * 1024;

    private RequestBodyReader() {
    }

    /**
     * The body, or a failed stage with {@link RequestRefusedException}: REQUEST_TOO_LARGE, or
     * MALFORMED_JSON when it cannot be decoded (bad gzip, unsupported encoding, truncated).
     */
    public static CompletionStage<ByteString> read(HttpRequest request, long maxBytes, Materializer materializer) {
        Source<ByteString, Object> bytes = request.entity().withSizeLimit(maxBytes).getDataBytes();
        String encoding = request.getHeader("Content-Encoding").map(HttpHeader::value)
                .map(v -> v.trim().toLowerCase(Locale.ROOT)).orElse("identity");
        boolean compressed;
        switch (encoding) {
            case "", "identity" -> compressed = false;
            case "gzip", "x-gzip" -> {
                bytes = bytes.via(Compression.gzipDecompress(INFLATE_CHUNK));
                compressed = true;
            }
            case "deflate" -> {
                bytes = bytes.via(Compression.inflate(INFLATE_CHUNK));
                compressed = true;
            }
            default -> {
                request.discardEntityBytes(materializer);
                return CompletableFuture.failedFuture(RequestRefusedException.of(RejectionCode.MALFORMED_JSON,
                        "Content-Encoding \"" + encoding + "\" is not supported; send gzip, deflate or no encoding"));
            }
        }
        return bytes
                .via(Flow.of(ByteString.class).limitWeighted(maxBytes, chunk -> (long) chunk.size()))
                .runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), materializer)
                // With an explicit executor: pekko's CompletionStage runs a non-async dependent on the
                // JDK's default async pool, which on a 2-core machine (common-pool parallelism 1) is a
                // new thread per task — measured as 2 threads per request and 59 % of gateway CPU.
                .handleAsync((body, failure) -> {
                    if (failure == null) {
                        return body;
                    }
                    throw classify(failure, maxBytes, compressed);
                }, materializer.executionContext());
    }

    private static RuntimeException classify(Throwable failure, long maxBytes, boolean compressed) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (t instanceof EntityStreamSizeException) {
            return RequestRefusedException.of(RejectionCode.REQUEST_TOO_LARGE, "the request body is larger than " + maxBytes + " bytes");
        }
        if (t instanceof StreamLimitReachedException) {
            return RequestRefusedException.of(RejectionCode.REQUEST_TOO_LARGE,
                    "the request body is larger than " + maxBytes + " bytes" + (compressed ? " when decompressed" : ""));
        }
        if (compressed) {
            return RequestRefusedException.of(RejectionCode.MALFORMED_JSON,
                    "the request body could not be decompressed as its Content-Encoding says: " + Optional.ofNullable(t.getMessage()).orElse(t.toString()));
        }
        if (t instanceof EntityStreamException) {
            return RequestRefusedException.of(RejectionCode.MALFORMED_JSON, "the request body was cut off: " + t.getMessage());
        }
        return t instanceof RuntimeException re ? re : new CompletionException(t);
    }
}
