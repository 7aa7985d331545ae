package io.orderhub.ingest;

import com.google.api.gax.batching.BatchingSettings;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.orderhub.HubProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.google.pubsub.GooglePubsubComponent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Google Pub/Sub clients of the Pub/Sub bus: one channel to the emulator or to Google, the publisher of accepted
 * events, and the admin clients that check or create the topics and subscriptions. The consuming side is the
 * camel-google-pubsub component of the consume routes, pointed at the same place here.
 *
 * <p>Accepted events are published by {@link PubSubEventBus} with this publisher rather than through the Camel
 * producer, which waits for the acknowledgement without a bound, never resumes an ordering key after a failed publish
 * (the key stays blocked) and copies every header of the exchange into the message's attributes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hub.bus", havingValue = "pubsub")
public class PubSubClients {

    private static final Logger log = LoggerFactory.getLogger(PubSubClients.class);

    /** The channel and credentials every client shares; closed last. */
    public record Connection(TransportChannelProvider channels, CredentialsProvider credentials, ManagedChannel channel)
            implements AutoCloseable {

        @Override
        public void close() throws InterruptedException {
            if (channel != null) {
                channel.shutdownNow();
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Bean(destroyMethod = "close")
    Connection pubSubConnection(HubProperties hub) throws IOException {
        HubProperties.PubSub ps = hub.pubsub();
        if (ps.emulator()) {
            log.info("Pub/Sub bus on the emulator at {} (project {})", ps.endpoint(), ps.project());
            ManagedChannel channel = ManagedChannelBuilder.forTarget(ps.endpoint())
                    .usePlaintext()
                    .build();
            return new Connection(
                    FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)),
                    NoCredentialsProvider.create(),
                    channel);
        }
        log.info("Pub/Sub bus on Google Cloud (project {}, Application Default Credentials)", ps.project());
        return new Connection(
                TopicAdminSettings.defaultGrpcTransportProviderBuilder().build(),
                TopicAdminSettings.defaultCredentialsProviderBuilder().build(),
                null);
    }

    /**
     * The publisher of accepted events: message ordering on, and every publish given up after the accept timeout (or
     * 10 s, the client's least), so a publish that cannot succeed fails instead of being retried for minutes.
     */
    @Bean(destroyMethod = "")
    Publisher eventPublisher(HubProperties hub, Connection connection) throws IOException {
        // the client refuses a total timeout under 10 s; the PUT itself waits only hub.events.accept-timeout
        Duration limit =
                Duration.ofSeconds(Math.max(10, hub.events().acceptTimeout().toSeconds()));
        return Publisher.newBuilder(
                        TopicName.of(hub.pubsub().project(), hub.pubsub().topic()))
                .setChannelProvider(connection.channels())
                .setCredentialsProvider(connection.credentials())
                .setEnableMessageOrdering(true)
                .setRetrySettings(RetrySettings.newBuilder()
                        .setTotalTimeoutDuration(limit)
                        .setInitialRpcTimeoutDuration(limit)
                        .setMaxRpcTimeoutDuration(limit)
                        .setRpcTimeoutMultiplier(1.0)
                        .setInitialRetryDelayDuration(Duration.ofMillis(50))
                        .setMaxRetryDelayDuration(Duration.ofSeconds(1))
                        .setRetryDelayMultiplier(2.0)
                        .build())
                // a PUT waits for its own publish: send at once rather than waiting to fill a batch
                .setBatchingSettings(BatchingSettings.newBuilder()
                        .setElementCountThreshold(100L)
                        .setRequestByteThreshold(1_000_000L)
                        .setDelayThresholdDuration(Duration.ofMillis(1))
                        .build())
                .build();
    }

    @Bean(destroyMethod = "close")
    TopicAdminClient pubSubTopics(Connection connection) throws IOException {
        return TopicAdminClient.create(TopicAdminSettings.newBuilder()
                .setTransportChannelProvider(connection.channels())
                .setCredentialsProvider(connection.credentials())
                .build());
    }

    @Bean(destroyMethod = "close")
    SubscriptionAdminClient pubSubSubscriptions(Connection connection) throws IOException {
        return SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
                .setTransportChannelProvider(connection.channels())
                .setCredentialsProvider(connection.credentials())
                .build());
    }

    /** Points the consume routes' google-pubsub component at the same emulator, or at Google with credentials. */
    @Bean
    CamelContextConfiguration pubSubComponent(HubProperties hub) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext context) {
                GooglePubsubComponent component = context.getComponent("google-pubsub", GooglePubsubComponent.class);
                if (hub.pubsub().emulator()) {
                    component.setEndpoint(hub.pubsub().endpoint());
                    component.setAuthenticate(false);
                }
                // the component's own publishers are not used; should one ever be, its shutdown stays bounded
                component.setPublisherTerminationTimeout(5000);
            }

            @Override
            public void afterApplicationStart(CamelContext context) {}
        };
    }
}
