package dev.herald.dashboard;

import java.util.Locale;

/** A plain inline SVG of two series (delivered, failed) per time bucket: no script, no style. */
final class Sparkline {

  private static final int WIDTH = 120;
  private static final int HEIGHT = 24;

  private Sparkline() {}

  static String svg(History.Window w) {
    long max = 1;
    for (int i = 0; i < w.delivered().length; i++) {
      max = Math.max(max, Math.max(w.delivered()[i], w.failed()[i]));
    }
    return "<svg class=\"spark\" width=\""
        + WIDTH
        + "\" height=\""
        + HEIGHT
        + "\" viewBox=\"0 0 "
        + WIDTH
        + " "
        + HEIGHT
        + "\" role=\"img\" aria-label=\"delivered and failed per interval\">"
        + line(w.delivered(), max, "#2b7a3d")
        + line(w.failed(), max, "#c0392b")
        + "</svg>";
  }

  private static String line(long[] values, long max, String color) {
    StringBuilder points = new StringBuilder();
    double step = values.length < 2 ? WIDTH : (double) WIDTH / (values.length - 1);
    for (int i = 0; i < values.length; i++) {
      double x = i * step;
      double y = HEIGHT - 1 - (HEIGHT - 2) * ((double) values[i] / max);
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    return "<polyline fill=\"none\" stroke=\""
        + color
        + "\" stroke-width=\"1.5\" points=\""
        + points.toString().strip()
        + "\"/>";
  }
}
