namespace ScriptService.Tooling;

/// <summary>
/// What demo buyers say, per shop, from the situations in the shops' training documents (the lamp
/// shop's presale standard: greeting, 问出购物意向 with its example questions and answers, the quick
/// questions on shipping and returns, the seven objections and 客服议价; the apparel shop's work plan:
/// sizes by height and weight, clearance items, payment reminders), plus questions neither script
/// answers (invoices, installation, a physical store) so the unmatched list has real entries.
/// </summary>
internal sealed record BuyerLines(
    IReadOnlyList<string> Openings,
    IReadOnlyList<string> Needs,
    IReadOnlyList<string> Answers,
    IReadOnlyList<string> Questions,
    IReadOnlyList<string> Missed,
    IReadOnlyList<string> Hesitations,
    IReadOnlyList<string> Orders,
    IReadOnlyList<string> Goodbyes)
{
    public static readonly IReadOnlyDictionary<string, BuyerLines> ByShop = new Dictionary<string, BuyerLines>(StringComparer.Ordinal)
    {
        ["lamp_shop"] = new(
            Openings: ["在吗", "你好", "老板在吗", "您好, 有人吗", "在不在"],
            Needs: ["老板,请给我推荐一款卧室灯", "想买个客厅灯, 推荐一下", "有什么灯推荐吗", "餐厅用哪款灯好", "阳台灯哪款好"],
            Answers: ["北欧风的", "现代简约", "我更喜欢方形的", "圆的", "卧室", "客厅", "大概20平米", "新中式", "我家是北欧装修风格, 想要简单一点的"],
            Questions: ["包邮吗", "几天到", "发什么快递", "能退吗", "支持七天无理由吗", "什么时候发货"],
            Missed: ["可以开发票吗", "安装师傅上门吗", "你们有实体店吗", "灯泡是LED的吗", "遥控器要另外买吗", "能开增值税专票吗"],
            Hesitations: ["我再想想", "问问老公", "晚点再说", "没见过这个牌子", "用不上那么好的"],
            Orders: ["拍下了", "已经拍下", "付款了"],
            Goodbyes: ["谢谢", "好的谢谢", "拜拜"]),
        ["apparel_shop"] = new(
            Openings: ["在吗", "你好", "您好"],
            Needs: ["穿多大码", "这件T恤什么码合适", "帮我看看尺码", "码数怎么选"],
            Answers: ["身高165", "160厘米", "体重52公斤", "55kg", "宽松一点", "修身的", "172cm 65公斤"],
            Questions: ["能退吗", "有什么活动", "清仓的能换吗", "退货运费谁出"],
            Missed: ["可以开发票吗", "有没有别的颜色", "会起球吗", "洗了会缩水吗", "你们有实体店吗"],
            Hesitations: ["我再想想", "考虑考虑", "问问家里人"],
            Orders: ["拍下了", "已付款", "付款了"],
            Goodbyes: ["谢谢", "拜拜"]),
    };
}
