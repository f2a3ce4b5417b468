package com.aiphoto.opsctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DefinerRewriterTest {
    private static String rewrite(String sql, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = sql.getBytes(StandardCharsets.UTF_8);
        try (DefinerRewriter w = new DefinerRewriter(out)) {
            for (int i = 0; i < in.length; i += chunk) {
                w.write(in, i, Math.min(chunk, in.length - i));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rewritesDefinersInDdlButNeverInData() throws IOException {
        String dump = """
                /*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */
                /*!50003 CREATE*/ /*!50017 DEFINER=`ai``photo`@`%`*/ /*!50003 TRIGGER orders_ai AFTER INSERT ON orders
                INSERT INTO `notes` VALUES (1,'DEFINER=`root`@`localhost` is just text here');
                INSERT INTO `users` VALUES
                (1,'nick DEFINER=`root`@`localhost`'),
                (2,'/*!50013 DEFINER=`root`@`localhost` */');
                CREATE DEFINER=`root`@`localhost` PROCEDURE `p`()
                SELECT 'DEFINER=`a`@`b`', '用户'
                /*!50003 CREATE*/ /*!50017 DEFINER=`x`@`%`*/ /*!50003 TRIGGER t BEFORE INSERT ON u FOR EACH ROW SET NEW.nick = 'DEFINER=`a`@`b`' */;;""";
        String expected = """
                /*!50013 DEFINER=CURRENT_USER SQL SECURITY DEFINER */
                /*!50003 CREATE*/ /*!50017 DEFINER=CURRENT_USER*/ /*!50003 TRIGGER orders_ai AFTER INSERT ON orders
                INSERT INTO `notes` VALUES (1,'DEFINER=`root`@`localhost` is just text here');
                INSERT INTO `users` VALUES
                (1,'nick DEFINER=`root`@`localhost`'),
                (2,'/*!50013 DEFINER=`root`@`localhost` */');
                CREATE DEFINER=CURRENT_USER PROCEDURE `p`()
                SELECT 'DEFINER=`a`@`b`', '用户'
                /*!50003 CREATE*/ /*!50017 DEFINER=CURRENT_USER*/ /*!50003 TRIGGER t BEFORE INSERT ON u FOR EACH ROW SET NEW.nick = 'DEFINER=`a`@`b`' */;;""";
        for (int chunk : new int[] {1, 3, 7, 64, 1 << 16}) {
            assertEquals(expected, rewrite(dump, chunk), "chunks of " + chunk);
        }
    }
}
