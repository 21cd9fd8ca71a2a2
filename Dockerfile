# The image `tributary run` runs in (deploy/deployment.yaml). Build the jar, then the image, from
# the repository root:
#
#   mvn -B -DskipTests package          # simulator/target/tributary.jar
#   docker build -t registry.example.com/tributary:0.1.0 .
#
# Not built by `make test` or CI: the build machines have no container runtime, so nothing here
# is tested except by hand (docs/operations.md, "The image").
#
# A JRE 17 on Ubuntu (Eclipse Temurin): tar is there for `kubectl cp` of recordings. Pin the tag
# to a digest in your registry for reproducible builds.
FROM eclipse-temurin:17-jre

# The Deployment runs the container as 10001:10001 with a read-only root filesystem; the same
# user here makes `docker run` behave alike. Nothing in the image needs writing: /tmp and
# /var/lib/tributary are volumes.
RUN groupadd --system --gid 10001 tributary \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin tributary

# One self-contained jar: every dependency shaded in, the built-in defaults (reference.conf) inside.
COPY simulator/target/tributary.jar /app/tributary.jar

USER 10001:10001
# 9095: metrics (kamon.prometheus.embedded-server.port); 9096: admin /healthz /readyz /status (tributary.admin.port)
EXPOSE 9095 9096
ENTRYPOINT ["java", "-jar", "/app/tributary.jar"]
CMD ["run", "--config", "/etc/tributary/config/tributary.conf"]
