package com.aiphoto.opsctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.aiphoto.opsctl.backup.TableChecksums.TableSum;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The scanner behind checksum method dump-sha256-v1, on dump text as mariadb-dump 10.11 writes it. */
class DumpDigestsTest {
    private static final String USERS_DATA = "INSERT INTO `users` VALUES\n"
            + "(1,'a\\'b;\\n-- Dumping data for table `x`',0x00FF,NULL),\n"
            + "(2,'INSERT INTO `users` VALUES',NULL,1.5);\n";
    private static final String ODD_DATA = "INSERT INTO `odd``name` VALUES\n(3,'x');\n";

    private static String dump(String users) {
        return "/*M!999999\\- enable the sandbox mode */ \n"
                + "-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)\n"
                + "--\n-- Table structure for table `empty`\n--\n\n"
                + "DROP TABLE IF EXISTS `empty`;\nCREATE TABLE `empty` (\n  `id` int(11) DEFAULT NULL\n) ENGINE=InnoDB;\n\n"
                + "--\n-- Dumping data for table `empty`\n--\n\n"
                + "LOCK TABLES `empty` WRITE;\n/*!40000 ALTER TABLE `empty` DISABLE KEYS */;\n"
                + "/*!40000 ALTER TABLE `empty` ENABLE KEYS */;\nUNLOCK TABLES;\n\n"
                + "--\n-- Dumping data for table `odd``name`\n--\n\n"
                + "LOCK TABLES `odd``name` WRITE;\n" + ODD_DATA + "UNLOCK TABLES;\n"
                + "--\n-- Dumping data for table `users`\n--\n\n"
                + "LOCK TABLES `users` WRITE;\n/*!40000 ALTER TABLE `users` DISABLE KEYS */;\n"
                + users
                + "/*!40000 ALTER TABLE `users` ENABLE KEYS */;\nUNLOCK TABLES;\n"
                // a trigger after the data: its body's INSERT is DDL, not data (and carries a DEFINER)
                + "DELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER t AFTER"
                + " INSERT ON users FOR EACH ROW BEGIN\nINSERT INTO `empty` VALUES (1);\nEND */;;\nDELIMITER ;\n"
                + "--\n-- Dumping routines for database 'db'\n--\n-- Dump completed on 2026-12-03 11:49:41\n";
    }

    private static List<TableSum> digest(String text, int chunk) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        DumpDigests d = new DumpDigests();
        Random r = new Random(chunk);
        for (int i = 0; i < b.length; ) {
            int n = chunk == 0 ? b.length : Math.min(b.length - i, 1 + r.nextInt(chunk));
            d.write(b, i, n);
            i += n;
        }
        return d.tables();
    }

    private static String sha256(String s) {
        return HexFormat.of().formatHex(BackupStore.sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachTableGetsTheHashOfExactlyItsInsertStatementsAndItsRowLines() {
        List<TableSum> tables = digest(dump(USERS_DATA), 0);
        assertEquals(
                List.of(
                        new TableSum("empty", 0, sha256("")),
                        new TableSum("odd`name", 1, sha256(ODD_DATA)),
                        new TableSum("users", 2, sha256(USERS_DATA))),
                tables);
    }

    @Test
    void howTheStreamIsCutIntoBuffersChangesNothing() {
        List<TableSum> whole = digest(dump(USERS_DATA), 0);
        for (int chunk : new int[] {1, 2, 3, 7, 13, 64, 1000}) {
            assertEquals(whole, digest(dump(USERS_DATA), chunk), "buffers of up to " + chunk + " bytes");
        }
    }

    @Test
    void oneChangedByteOfARowChangesThatTablesDigestOnly() {
        List<TableSum> before = digest(dump(USERS_DATA), 0);
        List<TableSum> after = digest(dump(USERS_DATA.replace("1.5", "1.6")), 5);
        assertEquals(before.get(0), after.get(0));
        assertEquals(before.get(1), after.get(1));
        assertEquals(before.get(2).rows(), after.get(2).rows());
        assertNotEquals(before.get(2).checksum(), after.get(2).checksum());
        // a row moved to another statement (as a different net_buffer_length would do) is a difference too
        String split = "INSERT INTO `users` VALUES\n(1,'a\\'b;\\n-- Dumping data for table `x`',0x00FF,NULL);\n"
                + "INSERT INTO `users` VALUES\n(2,'INSERT INTO `users` VALUES',NULL,1.5);\n";
        List<TableSum> resplit = digest(dump(split), 3);
        assertEquals(2, resplit.get(2).rows());
        assertNotEquals(before.get(2).checksum(), resplit.get(2).checksum());
    }

    @Test
    void rowsWrittenOnTheStatementsOwnLineAreNotCounted() {
        String inline = "INSERT INTO `users` VALUES (1,'a',NULL,NULL),(2,'b',NULL,NULL);\n";
        TableSum users = digest(dump(inline), 4).get(2);
        assertEquals(new TableSum("users", -1, sha256(inline)), users);
    }
}
