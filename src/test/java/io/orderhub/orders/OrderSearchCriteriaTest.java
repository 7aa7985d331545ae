package io.orderhub.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.orderhub.ops.ProblemException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The search body's rules, without HTTP or a database: defaults, normalisation, and every violation named. */
class OrderSearchCriteriaTest {

    @Test
    void noBodyMeansNoFiltersAndTheDefaultPage() {
        OrderSearchCriteria c = OrderSearchCriteria.parse("S1", null);
        assertThat(c)
                .isEqualTo(new OrderSearchCriteria(
                        "S1", null, null, null, null, null, null, null, null, null, null, 0, 20));
        assertThat(OrderSearchCriteria.parse("S1", OrderJson.parse("{}"))).isEqualTo(c);
    }

    @Test
    void valuesAreNormalisedAsTheStoredOnesWere() {
        OrderSearchCriteria c = OrderSearchCriteria.parse(
                "S1",
                OrderJson.parse(
                        """
                {"customerId": "C-1", "orderCode": " c1a2b3c ", "customerName": "  Anna L ",
                 "email": " Anna@Example.TEST ", "phone": " +46 70 EXT 1 ", "status": ["CREATED", "CREATED"],
                 "fulfillmentMethod": ["PICKUP_IN_STORE"], "fulfillmentStatus": ["READY_FOR_PICKUP", "FULFILLED"],
                 "changedFrom": "2026-03-01t10:00:00.5+01:00", "changedTo": "2026-03-02T00:00:00Z",
                 "page": {"skip": 40, "take": 200}}
                """));
        assertThat(c.customerId()).isEqualTo("C-1");
        assertThat(c.orderCode()).isEqualTo("C1A2B3C");
        assertThat(c.customerName()).isEqualTo("Anna L");
        assertThat(c.email()).isEqualTo("anna@example.test");
        assertThat(c.phone()).isEqualTo("+46 70 ext 1");
        assertThat(c.statuses()).containsExactly("CREATED");
        assertThat(c.fulfillmentMethods()).containsExactly("PICKUP_IN_STORE");
        assertThat(c.fulfillmentStatuses()).containsExactly("READY_FOR_PICKUP", "FULFILLED");
        assertThat(c.changedFrom().toInstant()).isEqualTo(Instant.parse("2026-03-01T09:00:00.5Z"));
        assertThat(c.changedTo().toInstant()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
        assertThat(c.skip()).isEqualTo(40);
        assertThat(c.take()).isEqualTo(200);
    }

    @Test
    void everyViolationIsNamedWithItsPointer() {
        ProblemException problem = catchThrowableOfType(
                ProblemException.class,
                () -> OrderSearchCriteria.parse(
                        "S 1",
                        OrderJson.parse(
                                """
                        {"a/b": 1, "phone": 7, "orderCode": "", "fulfillmentStatus": [], "status": "CREATED",
                         "changedFrom": "2026-03-01T10:00:00", "page": {"take": 0}}
                        """)));
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.errors())
                .extracting(Violation::pointer)
                .containsExactlyInAnyOrder(
                        "/path/bu",
                        "/a~1b",
                        "/phone",
                        "/orderCode",
                        "/fulfillmentStatus",
                        "/status",
                        "/changedFrom",
                        "/page/take");
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefusedAsAWhole() {
        ProblemException problem = catchThrowableOfType(
                ProblemException.class, () -> OrderSearchCriteria.parse("S1", OrderJson.parse("[]")));
        assertThat(problem.errors()).containsExactly(new Violation("", "must be a JSON object"));
    }

    @Test
    void likeWildcardsInANameAreMatchedLiterally() {
        assertThat(OrderSearchRepository.likeLiteral("50%_off\\")).isEqualTo("50\\%\\_off\\\\");
    }

    @Test
    void fulfilmentFiltersBecomeSearchKeysOfOneFulfilmentWhenBothAreGiven() {
        assertThat(OrderSearchRepository.SearchKeys.fulfillment("t", null, null))
                .isEmpty();
        assertThat(OrderSearchRepository.SearchKeys.fulfillment("t", List.of("PICKUP_IN_STORE"), null))
                .containsExactly("t/fm/PICKUP_IN_STORE");
        assertThat(OrderSearchRepository.SearchKeys.fulfillment("t", null, List.of("CREATED", "FULFILLED")))
                .containsExactly("t/fs/CREATED", "t/fs/FULFILLED");
        assertThat(OrderSearchRepository.SearchKeys.fulfillment(
                        "t", List.of("PICKUP_IN_STORE", "HOME_DELIVERY_FROM_STORE"), List.of("CREATED")))
                .containsExactly("t/f/PICKUP_IN_STORE/CREATED", "t/f/HOME_DELIVERY_FROM_STORE/CREATED");
    }
}
