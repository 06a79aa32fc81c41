// epubcheck on several EPUBs in one Java process (tests/support.py, `epubcheck_many`).
//
// Why: epubcheck 4.2's command line takes one EPUB a run, and most of a run is the
// JVM starting and epubcheck loading and compiling its schemas (RELAX NG, Schematron),
// ~4 CPU-s each time; the schemas are kept for the next check in the same process.
// Four EPUBs one by one cost ~20 CPU-s, here ~6.5 (this file compiled included).
// Each EPUB goes through epubcheck's own command line (EpubChecker.run, which
// Checker.main calls before System.exit), so what it checks and prints is the
// command's; its stdout, stderr and status are kept apart per EPUB.
//
// Usage: java -cp epubcheck.jar EpubcheckMany.java OUTDIR EPUB...
// writes OUTDIR/N.out, N.err and N.code for the Nth EPUB (from 1).

import com.adobe.epubcheck.tool.EpubChecker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class EpubcheckMany {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        PrintStream stdout = System.out, stderr = System.err;
        for (int i = 1; i < args.length; i++) {
            ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code;
            try {
                code = new EpubChecker().run(new String[] {args[i]});
            } finally {
                System.out.flush();
                System.err.flush();
                System.setOut(stdout);
                System.setErr(stderr);
            }
            Files.write(out.resolve(i + ".out"), o.toByteArray());
            Files.write(out.resolve(i + ".err"), e.toByteArray());
            Files.writeString(out.resolve(i + ".code"), Integer.toString(code));
        }
    }
}
