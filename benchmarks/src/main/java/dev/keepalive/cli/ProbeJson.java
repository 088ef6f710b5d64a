package dev.keepalive.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.keepalive.agent.AgentStats;
import dev.keepalive.agent.Header;
import dev.keepalive.agent.Timings;
import java.io.IOException;
import java.io.Writer;

/**
 * The probe's output: one JSON object, a published format (README.md, "probe"; field names change
 * only on purpose). Ok entries always carry {@code status}, {@code bodyLength} and {@code
 * bodySha256}; failed ones have {@code "status": null} and {@code "error": {"class", "message"}}.
 * Written entry by entry to the output (no tree, no string of the whole), indented.
 */
final class ProbeJson {

  private static final JsonFactory JSON = new JsonFactory();

  private ProbeJson() {}

  /** Writes the result as indented JSON; {@code withHeaders} adds each response's headers. */
  static void write(ProbeRun.Result result, boolean withHeaders, Writer out) throws IOException {
    long errors = result.errors();
    // the generator is closed, the Writer is not (it is the command's stdout)
    try (JsonGenerator g =
        JSON.createGenerator(out)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .useDefaultPrettyPrinter()) {
      g.writeStartObject();
      g.writeNumberField("requests", result.outcomes().size());
      g.writeNumberField("ok", result.outcomes().size() - errors);
      g.writeNumberField("errors", errors);
      g.writeNumberField("connectionsOpened", result.stats().createSocketCount());
      g.writeArrayFieldStart("perRequest");
      for (ProbeRun.Outcome o : result.outcomes()) {
        entry(g, o, withHeaders);
      }
      g.writeEndArray();
      stats(g, result.stats());
      g.writeEndObject();
    }
    out.write(System.lineSeparator());
    out.flush();
  }

  private static void entry(JsonGenerator g, ProbeRun.Outcome o, boolean withHeaders)
      throws IOException {
    g.writeStartObject();
    g.writeNumberField("round", o.round());
    g.writeNumberField("index", o.index());
    g.writeStringField("url", o.url());
    if (!o.failed()) {
      g.writeNumberField("status", o.status());
      g.writeNumberField("bodyLength", o.bodyLength());
      g.writeStringField("bodySha256", o.bodySha256());
      g.writeNumberField("localPort", o.localPort());
      g.writeBooleanField("reusedSocket", o.reusedSocket());
      Timings t = o.timings();
      g.writeObjectFieldStart("timings");
      g.writeNumberField("socket", round3(t.socket()));
      g.writeNumberField("lookup", round3(t.lookup()));
      g.writeNumberField("connect", round3(t.connect()));
      if (o.url().regionMatches(true, 0, "https:", 0, 6)) {
        g.writeNumberField("secureConnect", round3(t.secureConnect())); // https only
      }
      g.writeNumberField("response", round3(t.response()));
      g.writeNumberField("end", round3(t.end()));
      g.writeEndObject();
      g.writeNullField("error");
      if (withHeaders) {
        g.writeArrayFieldStart("headers");
        for (Header h : o.headers()) {
          g.writeStartArray();
          g.writeString(h.name());
          g.writeString(h.value());
          g.writeEndArray();
        }
        g.writeEndArray();
      }
    } else {
      g.writeNullField("status");
      if (o.localPort() > 0) {
        g.writeNumberField("localPort", o.localPort());
      } else {
        g.writeNullField("localPort");
      }
      g.writeBooleanField("reusedSocket", o.reusedSocket());
      g.writeNullField("timings");
      g.writeObjectFieldStart("error");
      g.writeStringField("class", o.errorClass().wireName());
      g.writeStringField("message", o.errorMessage());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static void stats(JsonGenerator g, AgentStats s) throws IOException {
    g.writeObjectFieldStart("stats");
    g.writeNumberField("createSocketCount", s.createSocketCount());
    g.writeNumberField("createSocketErrorCount", s.createSocketErrorCount());
    g.writeNumberField("closeSocketCount", s.closeSocketCount());
    g.writeNumberField("errorSocketCount", s.errorSocketCount());
    g.writeNumberField("timeoutSocketCount", s.timeoutSocketCount());
    g.writeNumberField("requestCount", s.requestCount());
    g.writeNumberField("reusedRequestCount", s.reusedRequestCount());
    g.writeNumberField("retryCount", s.retryCount());
    g.writeNumberField("tlsHandshakeCount", s.tlsHandshakeCount());
    g.writeNumberField("tlsResumedCount", s.tlsResumedCount());
    g.writeNumberField("tlsHandshakeErrorCount", s.tlsHandshakeErrorCount());
    g.writeEndObject();
  }
}
