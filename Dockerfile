# The hub's image: the packaged jar with its routes and configuration beside it, as on a developer machine.
# Build the jar first: ./mvnw -DskipTests package
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY target/order-hub-*.jar /app/order-hub.jar
COPY routes /app/routes
COPY config /app/config
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/order-hub.jar"]
