package io.orderhub.ingest;

import com.google.api.gax.batching.BatchingSettings;
import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.InstantiatingExecutorProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.MessageReceiver;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
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
import org.apache.camel.component.google.pubsub.GooglePubsubComponent;
import org.apache.camel.component.google.pubsub.GooglePubsubEndpoint;
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
            // keepalive pings find a connection that went dead without a word (a network partition) so the client
            // connects again; the emulator, like any gRPC server by default, refuses pings more often than 5 minutes
            ManagedChannel channel = ManagedChannelBuilder.forTarget(ps.endpoint())
                    .usePlaintext()
                    .keepAliveTime(5, TimeUnit.MINUTES)
                    .keepAliveTimeout(20, TimeUnit.SECONDS)
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

    /**
     * The component of the consume routes ({@code google-pubsub:...}): Camel's, with its subscribers built on the same
     * channel as the publisher, and as many threads handing out messages as {@code hub.events.consumers} (one order
     * each, as on the PostgreSQL bus).
     */
    @Bean("google-pubsub")
    GooglePubsubComponent googlePubsubComponent(HubProperties hub, Connection connection) {
        GooglePubsubComponent component = new GooglePubsubComponent() {
            @Override
            public Subscriber getSubscriber(
                    String subscription, MessageReceiver receiver, GooglePubsubEndpoint endpoint) {
                return Subscriber.newBuilder(subscription, receiver)
                        .setChannelProvider(connection.channels())
                        .setCredentialsProvider(connection.credentials())
                        .setMaxAckExtensionPeriodDuration(Duration.ofSeconds(endpoint.getMaxAckExtensionPeriod()))
                        // the client's own lease is the subscription's ack deadline, extended again and again while
                        // the hub works on a message (the client's default would be 60 s whatever the subscription)
                        .setMaxDurationPerAckExtensionDuration(hub.pubsub().ackDeadline())
                        .setParallelPullCount(1)
                        .setExecutorProvider(InstantiatingExecutorProvider.newBuilder()
                                .setExecutorThreadCount(Math.max(1, hub.events().consumers()))
                                .build())
                        .build();
            }
        };
        component.setAuthenticate(!hub.pubsub().emulator());
        // the component's own publishers are not used; should one ever be, its shutdown stays bounded
        component.setPublisherTerminationTimeout(5000);
        return component;
    }
}
