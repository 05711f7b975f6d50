// Every message, enum and service of the Drop protos (protoc-gen-es), for both entry points.
export * from "./gen/drop/v1/admin_pb.js";
export * from "./gen/drop/v1/auth_pb.js";
export * from "./gen/drop/v1/bank_accounts_pb.js";
export * from "./gen/drop/v1/cards_pb.js";
export * from "./gen/drop/v1/common_pb.js";
export * from "./gen/drop/v1/complaints_pb.js";
export * from "./gen/drop/v1/events_pb.js";
export * from "./gen/drop/v1/field_rules_pb.js";
export * from "./gen/drop/v1/health_pb.js";
export * from "./gen/drop/v1/merchants_pb.js";
export * from "./gen/drop/v1/notifications_pb.js";
export * from "./gen/drop/v1/privacy_pb.js";
export * from "./gen/drop/v1/rates_pb.js";
export * from "./gen/drop/v1/recipients_pb.js";
export * from "./gen/drop/v1/route_pb.js";
export * from "./gen/drop/v1/settings_pb.js";
export * from "./gen/drop/v1/transactions_pb.js";
export * from "./gen/drop/v1/webhooks_pb.js";
// google.rpc error details, for callers that read ConnectError details themselves.
export * from "./gen/google/rpc/error_details_pb.js";
