package dev.keepalive.cli;

import dev.keepalive.agent.BodyMode;
import dev.keepalive.agent.Header;
import dev.keepalive.agent.Request;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The request flags of {@code probe}, mapped onto {@link Request#builder(String)} and checked by
 * nothing else: each field is named after the builder property it sets, so a value the builder
 * rejects is reported under its flag ({@link BadUsage#underFlag}); a bad URL keeps the builder's
 * words ({@code uri must be an absolute http:// URI ...}).
 */
final class RequestFlags {

  @Spec private CommandSpec flags;

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = "--method",
      paramLabel = "M",
      description = "request method (default ${DEFAULT-VALUE})")
  private String method = "GET";

  @Option(
      names = "--header",
      paramLabel = "'Name: value'",
      converter = HeaderLine.class,
      description = "add a request header (repeatable)")
  private List<Header> header = new ArrayList<>();

  @Option(
      names = "--request-timeout-ms",
      paramLabel = "N",
      description =
          "deadline of one whole request, queue included; 0 = none (default ${DEFAULT-VALUE},"
              + " so that a silent server cannot hang the probe)")
  private long timeoutMillis = 30_000;

  /**
   * The request to {@code url} the flags ask for; its body is digested, not kept (the probe reports
   * its length and SHA-256).
   *
   * @throws ParameterException for a URL, method, header or timeout the builder rejects
   */
  Request request(String url) {
    try {
      Request.Builder b =
          Request.builder(url)
              .method(method)
              .timeoutMillis(timeoutMillis)
              .bodyMode(BodyMode.DIGEST);
      for (Header h : header) {
        b.header(h.name(), h.value());
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw BadUsage.underFlag(e, flags, command.commandLine());
    }
  }

  /** {@code Name: value}, as a header is written on the command line. */
  static final class HeaderLine implements ITypeConverter<Header> {
    @Override
    public Header convert(String value) {
      int colon = value.indexOf(':');
      if (colon <= 0) {
        throw new TypeConversionException("must be 'Name: value', was '" + value + "'");
      }
      return new Header(value.substring(0, colon).trim(), value.substring(colon + 1).trim());
    }
  }
}
