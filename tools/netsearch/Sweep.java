import java.io.*;
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

/** Runs each config line of a file (MODEL [train options]) over seeds 0-4 in one JVM; stops a config at its first seed below 97 %. */
public class Sweep {
    static final Pattern LAST = Pattern.compile("epoch (\\d+)/(\\d+) .*accuracy ([0-9.]+) %\\s+\\(([0-9.]+) s\\)");
    public static void main(String[] a) throws Exception {
        double threshold = 97.0;
        int first = Integer.getInteger("first", 0), seeds = first + Integer.getInteger("n", 5); boolean stop = !Boolean.getBoolean("nostop");
        for (String line : Files.readAllLines(Path.of(a[0]))) {
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<String> parts = new ArrayList<>(Arrays.asList(line.split("\\s+")));
            String model = parts.remove(0);
            StringBuilder res = new StringBuilder();
            double min = 101, max = -1; String t0 = "?"; boolean stopped = false;
            for (int s = first; s < seeds; s++) {
                List<String> args = new ArrayList<>(List.of("train", model, "--data", System.getProperty("data", "samples/data/digits.csv.gz"),
                        "--split", "last", "--seed", "" + s, "--no-plots", "--no-progress", "--out", System.getProperty("out", "/tmp/ns/out")));
                args.addAll(parts);
                StringWriter o = new StringWriter(), e = new StringWriter();
                int rc = dev.adjoint.cli.Main.run(new PrintWriter(o, true), new PrintWriter(e, true), args.toArray(new String[0]));
                if (rc != 0) { res.append(" seed ").append(s).append(" FAILED rc=").append(rc).append(": ").append(e.toString().trim().replace('\n', ' ')); stopped = true; break; }
                String acc = null, time = null; String maxAcc = null; double best = -1;
                for (String l : o.toString().split("\n")) {
                    Matcher m = LAST.matcher(l);
                    if (m.find()) { acc = m.group(3); time = m.group(4); best = Math.max(best, Double.parseDouble(acc)); }
                }
                double v = Double.parseDouble(acc);
                if (s == first) t0 = time;
                min = Math.min(min, v); max = Math.max(max, v);
                res.append(" ").append(acc);
                if (v < threshold && stop) { res.append(" (stopped at seed ").append(s).append(")"); stopped = true; break; }
            }
            if (min < threshold) stopped = true;
            System.out.printf("%s | %s %s | min %.2f max %.2f | seed0 %s s |%s%n", stopped ? "FAIL" : "PASS", Path.of(model).getFileName(), String.join(" ", parts), min, max, t0, res);
            System.out.flush();
        }
        System.exit(0);
    }
}
