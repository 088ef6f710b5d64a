package dev.keepalive.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keepalive.agent.AgentException;
import dev.keepalive.agent.AgentStats;
import dev.keepalive.agent.Header;
import dev.keepalive.agent.Response;
import dev.keepalive.agent.Timings;

/**
 * The probe's output: one JSON object, a published format (README.md, "probe"; field names change
 * only on purpose). Ok entries always carry {@code status}, {@code bodyLength} and {@code
 * bodySha256}; failed ones have {@code "status": null} and {@code "error": {"class", "message"}}.
 */
final class ProbeJson {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ProbeJson() {}

  /** The result as indented JSON; {@code withHeaders} adds each response's headers. */
  static String write(ProbeRun.Result result, boolean withHeaders) throws JsonProcessingException {
    ArrayNode perRequest = JSON.createArrayNode();
    for (ProbeRun.Outcome o : result.outcomes()) {
      perRequest.add(entry(o, withHeaders));
    }
    long errors = result.errors();
    ObjectNode root = JSON.createObjectNode();
    root.put("requests", result.outcomes().size());
    root.put("ok", result.outcomes().size() - errors);
    root.put("errors", errors);
    root.put("connectionsOpened", result.stats().createSocketCount());
    root.set("perRequest", perRequest);
    root.set("stats", stats(result.stats()));
    return JSON.writeValueAsString(root);
  }

  private static ObjectNode entry(ProbeRun.Outcome o, boolean withHeaders) {
    ObjectNode e = JSON.createObjectNode();
    e.put("round", o.round());
    e.put("index", o.index());
    e.put("url", o.url());
    if (o.error() == null) {
      Response r = o.response();
      e.put("status", r.status());
      e.put("bodyLength", r.bodyLength());
      e.put("bodySha256", r.bodySha256());
      e.put("localPort", r.localPort());
      e.put("reusedSocket", r.reusedSocket());
      Timings t = r.timings();
      ObjectNode tn = e.putObject("timings");
      tn.put("socket", round3(t.socket()));
      tn.put("lookup", round3(t.lookup()));
      tn.put("connect", round3(t.connect()));
      tn.put("response", round3(t.response()));
      tn.put("end", round3(t.end()));
      e.putNull("error");
      if (withHeaders) {
        ArrayNode hs = e.putArray("headers");
        for (Header h : r.headers()) {
          hs.addArray().add(h.name()).add(h.value());
        }
      }
    } else {
      AgentException a = o.error();
      e.putNull("status");
      if (a.localPort() > 0) {
        e.put("localPort", a.localPort());
      } else {
        e.putNull("localPort");
      }
      e.put("reusedSocket", a.reusedSocket());
      e.putNull("timings");
      ObjectNode err = e.putObject("error");
      err.put("class", a.errorClass().wireName());
      err.put("message", a.getMessage());
    }
    return e;
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static ObjectNode stats(AgentStats s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("createSocketCount", s.createSocketCount());
    n.put("createSocketErrorCount", s.createSocketErrorCount());
    n.put("closeSocketCount", s.closeSocketCount());
    n.put("errorSocketCount", s.errorSocketCount());
    n.put("timeoutSocketCount", s.timeoutSocketCount());
    n.put("requestCount", s.requestCount());
    n.put("reusedRequestCount", s.reusedRequestCount());
    n.put("retryCount", s.retryCount());
    return n;
  }
}
