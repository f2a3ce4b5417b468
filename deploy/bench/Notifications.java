import com.aiphoto.testing.FakeWeChatPay;
import com.aiphoto.testing.WeChatPayKeys;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The tests' fake WeChat Pay for a benchmark, driven through stdin (deploy/bench/lib.sh runs it as a coprocess):
 * {@code java Notifications KEY_DIR} makes new keys under KEY_DIR and starts the fake, prints the server settings
 * that point at them (KEY=VALUE lines, then READY), then for each line {@code sign ORDERS OUT} writes to OUT one
 * signed and encrypted payment notification per line of ORDERS ({@code out_trade_no<TAB>amount_cents}), as wrk data
 * lines ({@code POST<TAB>path<TAB>body<TAB>Header: value...}), and answers {@code DONE n}. Signing happens on
 * request, not up front, because the server refuses notifications more than 5 minutes old. Exits at end of input.
 * Run with the server's test class path (the fakes of {@code testing}).
 */
public class Notifications {
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        try (FakeWeChatPay fake = new FakeWeChatPay(WeChatPayKeys.generate(Path.of(args[0])))) {
            fake.settings().forEach((k, v) -> out.println(k + "=" + v));
            out.println("READY");
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] cmd = line.split(" ");
                if (cmd.length != 3 || !cmd[0].equals("sign")) {
                    out.println("ERROR expected: sign ORDERS OUT");
                    out.flush();
                    continue;
                }
                List<String> orders = Files.readAllLines(Path.of(cmd[1]));
                try (BufferedWriter w = Files.newBufferedWriter(Path.of(cmd[2]))) {
                    for (String o : orders) {
                        String[] f = o.split("\t");
                        Map<String, Object> tx = FakeWeChatPay.paidTransaction(f[0], Long.parseLong(f[1]));
                        FakeWeChatPay.Notification n = fake.notification(tx);
                        StringBuilder b = new StringBuilder("POST\t/api/payment/wechat/notify\t")
                                .append(new String(n.body(), StandardCharsets.UTF_8))
                                .append("\tContent-Type: application/json");
                        n.headers().forEach((k, v) -> b.append('\t').append(k).append(": ").append(v));
                        w.write(b.toString());
                        w.newLine();
                    }
                }
                out.println("DONE " + orders.size());
                out.flush();
            }
        }
    }
}
