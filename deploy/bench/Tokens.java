import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Prints access tokens for users FIRST..FIRST+COUNT-1, one per line, issued by the server's own AccessTokens
 * (so they are exactly what a login hands out). Run with the server's jar and libs on the class path:
 * {@code java Tokens SECRET FIRST COUNT}. AccessTokens and User are package-private, hence reflection (the class
 * path is the unnamed module, which opens every package).
 */
public class Tokens {
    public static void main(String[] args) throws Exception {
        byte[] secret = args[0].getBytes(StandardCharsets.UTF_8);
        long first = Long.parseLong(args[1]);
        int count = Integer.parseInt(args[2]);
        Class<?> tokensClass = Class.forName("com.aiphoto.server.auth.AccessTokens");
        Class<?> userClass = Class.forName("com.aiphoto.server.auth.User");
        Class<?> roleClass = Class.forName("com.aiphoto.core.account.Role");
        Constructor<?> tc = tokensClass.getDeclaredConstructor(byte[].class, Duration.class, Clock.class);
        tc.setAccessible(true);
        Object tokens = tc.newInstance(secret, Duration.ofHours(2), Clock.systemUTC());
        Method issue = tokensClass.getDeclaredMethod("issue", userClass);
        issue.setAccessible(true);
        RecordComponent[] parts = userClass.getRecordComponents();
        Class<?>[] types = new Class<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            types[i] = parts[i].getType();
        }
        Constructor<?> uc = userClass.getDeclaredConstructor(types);
        uc.setAccessible(true);
        Object userRole = roleClass.getMethod("parse", String.class).invoke(null, "user");
        StringBuilder out = new StringBuilder();
        for (long id = first; id < first + count; id++) {
            Object[] values = new Object[parts.length];
            for (int i = 0; i < parts.length; i++) {
                Class<?> t = types[i];
                values[i] = t == long.class ? (Object) id : t == int.class ? (Object) 0 : t == roleClass ? userRole : null;
            }
            out.append(issue.invoke(tokens, uc.newInstance(values))).append('\n');
        }
        System.out.print(out);
    }
}
