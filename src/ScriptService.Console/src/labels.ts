// How the API's enums read to a customer-service lead.
import { MatchKind, NegotiateResponse_Decision } from "./gen/scriptdsl/v1/script_service_pb.js";

export const matchLabels: Record<MatchKind, string> = {
  [MatchKind.MATCH_KIND_UNSPECIFIED]: "",
  [MatchKind.MATCH_TRIGGER]: "触发词",
  [MatchKind.MATCH_EXAMPLES]: "相似问法",
  [MatchKind.MATCH_CLARIFIED]: "已澄清",
  [MatchKind.MATCH_CLARIFYING]: "反问澄清",
  [MatchKind.MATCH_CONTINUED]: "接上文",
  [MatchKind.MATCH_FALLBACK]: "未识别",
};

export const decisionLabels: Record<NegotiateResponse_Decision, string> = {
  [NegotiateResponse_Decision.DECISION_UNSPECIFIED]: "",
  [NegotiateResponse_Decision.ACCEPT]: "接受",
  [NegotiateResponse_Decision.COUNTER]: "还价",
  [NegotiateResponse_Decision.GIFT]: "送赠品",
  [NegotiateResponse_Decision.COUPON]: "优惠券",
  [NegotiateResponse_Decision.EXPLAIN_VALUE]: "阐明价值",
  [NegotiateResponse_Decision.SPLIT_PRICE]: "拆分价格",
  [NegotiateResponse_Decision.HOLD]: "坚持价格",
};

export function matchName(kind: MatchKind): string {
  return MatchKind[kind] ?? String(kind);
}
