import { AUTH_ERRORS, jsonContent, problemResponses } from "../../../openapi/responses.ts";
import { operationRoute } from "../../operation-route.ts";
import { DeliveryEnvelope, DeliveryPage, DeliveryParams, ListDeliveriesQuery, WebhookParams } from "../../v1/hooks/hooks.schemas.ts";

const tags = ["Webhook deliveries"];

export const list = operationRoute("webhookDeliveries.list", {
  tags,
  summary: "List a webhook's deliveries",
  description: "Newest first, optionally by status (`pending`, `retrying`, `delivered`, `dead`): attempts, the last HTTP status and error.",
  request: { params: WebhookParams, query: ListDeliveriesQuery },
  responses: {
    200: jsonContent(DeliveryPage, "A page of deliveries"),
    ...problemResponses(...AUTH_ERRORS, "harness_not_found", "webhook_not_found"),
  },
});

export const redeliver = operationRoute("webhookDeliveries.redeliver", {
  tags,
  summary: "Send a delivery again",
  description:
    "A `dead` (or `delivered`) delivery goes through the queue again: the same body and the same `webhook-id` (receivers deduplicate by it), signed afresh, with a fresh retry schedule. 409 while it is still pending or retrying.",
  request: { params: DeliveryParams },
  responses: {
    202: jsonContent(DeliveryEnvelope, "Queued again"),
    ...problemResponses(
      ...AUTH_ERRORS,
      "harness_not_found",
      "webhook_not_found",
      "delivery_not_found",
      "delivery_in_progress",
      "network_blocked",
      "upstream_unavailable",
    ),
  },
});
