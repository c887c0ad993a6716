using ScriptDsl.Text;

namespace ScriptDsl.Benchmarks;

/// <summary>
/// Realistic lamp-shop trigger sets of any size, the same every run: the first ten are phrases a
/// script really has (and that occur in <see cref="Message"/>), the rest are two-word phrases
/// made from a presale vocabulary, like the quick phrases and objections of a large shop, and
/// short runs of common characters, which widen the alphabet as product names do.
/// </summary>
public static class TriggerCorpus
{
    /// <summary>A buyer message as typed: traditional characters, full-width punctuation, an emoticon.</summary>
    public const string RawMessage = "親在嗎，這款北歐風吸頂燈臥室用二十平够不够？能便宜點嗎包郵嗎發什麼快遞呀[微笑]謝謝啦";

    /// <summary>The same message normalized: exactly 40 characters.</summary>
    public static readonly string Message = CheckedMessage(RawMessage);

    private static readonly string[] Core =
    [
        "在吗", "北欧", "吸顶灯", "卧室", "便宜点", "包邮", "快递", "够不够", "谢谢", "发什么",
    ];

    private static readonly string[] Vocabulary =
    [
        "包邮", "快递", "顺丰", "发货", "到货", "退货", "换货", "退款", "运费", "保修",
        "质量", "价格", "便宜", "优惠", "打折", "满减", "赠品", "红包", "优惠券", "活动",
        "吸顶灯", "吊灯", "台灯", "落地灯", "壁灯", "筒灯", "射灯", "灯带", "灯泡", "灯罩",
        "客厅", "卧室", "餐厅", "书房", "阳台", "厨房", "卫生间", "过道", "玄关", "儿童房",
        "北欧", "现代", "简约", "中式", "美式", "欧式", "轻奢", "工业风", "复古", "日式",
        "圆形", "方形", "长方形", "白色", "黑色", "金色", "原木", "亚克力", "铁艺", "水晶",
        "遥控", "调光", "三色", "无极", "护眼", "节能", "频闪", "显色", "亮度", "瓦数",
        "安装", "师傅", "上门", "说明书", "螺丝", "吊线", "开关", "尺寸", "面积", "高度",
        "太贵", "贵了", "不要", "考虑", "再看看", "对比", "别家", "实体店", "同款", "正品",
        "多久", "几天", "今天", "明天", "现在", "马上", "什么时候", "能不能", "可以", "有没有",
    ];

    // The 1,200 most frequent characters of the presale standards in shared/seeds, most frequent
    // first: large shops' triggers (product names, objections) use a wide alphabet, and the
    // automaton's cost must not depend on it.
    private static readonly string CommonCharacters = ""
        + "的客是服一不有品要我以在人了好顾作可户和如率到解工询化问家能个转店下理提们分顧用商心就单后买题你时方售这上产对也時咨自为"
        + "意需天對多出會等通們会比戶做定成点您都么行情他果問务量些来或同考信大因及中铺力者接价员度购程得最感本知淘说很看数面重升所"
        + "式回过己前高求表常答格買流进每推旺交款低实什快销巧但其為技說這给培卖而于性间真待体效來议指业次明候让地没消產合之讓特关决"
        + "更部法公點位发主價付相息誠种应清個第核并异现先把話務经然打給向处只差标总案生宝动必介使言與完费去容單寶还建基電与保原样身"
        + "想三事起老題月里绩處再物满复内當樣新当质加影示楚內間具管活受正全资司訓請即荐期注优才便跟質认功此较整态导哪聊二貨道各形直"
        + "无值望日小進業覺件致耐训失號訂謝取结享平素確實試溝購語關灯系析往易少营响记文团队送員紹學由足达任责十盡發别设缺非确手评话"
        + "制過現告终何已供专呢認職導種親除该拒判留喜准友适象否篇共诉迎詢體歡光滿将见那绝熟外持計劃應議网从疑据助目名牌额字講態禮沒"
        + "記例放找怎被它订悉貌門嗎動還網机验沟口识利支思促且料首录运底谈遇精尊銷專轉適立根色开门算亲周引努语投抱識熱调断货况欢某广"
        + "两改计配免变负速笑板宜她短控怨責則遞反觉类般落尽查选按捷西收結聯聽针权太置造请代微帮線夠座別氣較賣入条几包善岗范述降五存"
        + "惠卡規倉決幫协策维际排白则术退希懂神级經隨鋪登細臨優哦該達證雖试许热修错步良切激简办集厂秒略七长深年操況選備誤針虑归假金"
        + "备括划施今慢照源展搞励吗折丶子師須僅從暗輕报益够充近义须节奖四带痛扣越女句补偿歉評復見聲換訴東势又至绍借钱着愉汇线班键章"
        + "花空百吃东听架夸住泄像團課習庫負準票訪編寫呵減爭怕絡掌护论虽握肯诚减乎印学习师秀气统职规均予采积安风固换承远绪礼營崗資臺"
        + "錯預節著敬將響凡尝障既细概朋争马角讲穿项增互尤段极景参片六八页尺踪走弱择执电占另吧台群车刻繁城竟祝授項標觀煩鐘統樂臉論難"
        + "溫貼費薦脾強慮絕貴份研描未企课停延环稳愿详味端材装欲强措续获贵迅依序追令守若水抽组破拍邮勤汰攻谁偏误词场头惑帖访啊枯燥倾"
        + "衣万殊末超久亮孩德路病隊傅幾開場訊音眼余初止难境担笔显轻美济鞋模传烈怠趣库鉴织左右图档连薪喻揣摩催属屏幕寸苹米似害劣普究"
        + "套束派战块元砍释限士旗倍王健市婆诺怀省挑征层领漏券谢領午昨據帶視歷瑣獲擾鞏圍檔碼數檢愛勢詳急養調千緒畢址督稱報忙滴頭冰彬"
        + "誰堅虧爾損類坦蛋尾递联夜招视碍继寻络谅证仅富舒融氛毕竞兴律灵恳丰衡轮忆写符倒列逐咎冤垃圾聚拿遍乱半智型斗临劲批状贝讨涵譬"
        + "硬软豫皮林桌菜漂餐赠抵怒彼婉掉闭仔弄饭厅私赚福念擇陌機測屬教總廳無斷詞臟潔嚴執梢刷命避盲圆卧室阳火构呼弃虚伪乏颜碰搭拖突"
        + "顺狭赢国聘谋饰称隔潜阶虎乐版犯创背淡季张馈累迟贴九诊薄纳码丝甚搜彻拉宗旨浪观佳区矩鼓挥碑盘干药拥围综武器绿故房官书读讯坐"
        + "秘田琐京玩永忽估陈抓察恶俗防伤慰愤恰医润站坚赔組織離構護頁隱綜筆繼續辦攜逢稍掛托闡晰張廣驗妄騷赃靜馨青暫簡蹤閑彩篩克風腦";

    private static readonly string[] Glue = ["", "的", "吗", "呢", "还", "有", "要", "可以", "能", "不"];

    /// <summary>The first <paramref name="count"/> phrases, distinct.</summary>
    public static IReadOnlyList<string> Phrases(int count)
    {
        var phrases = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string phrase in Core)
        {
            if (phrases.Count < count && seen.Add(phrase))
            {
                phrases.Add(phrase);
            }
        }

        var random = new Random(40);
        while (phrases.Count < count)
        {
            // Seven in ten: two vocabulary words; three in ten: 2–4 characters of the wide alphabet.
            string phrase = random.Next(10) < 7
                ? Vocabulary[random.Next(Vocabulary.Length)] + Glue[random.Next(Glue.Length)] + Vocabulary[random.Next(Vocabulary.Length)]
                : RandomCharacters(random, random.Next(2, 5));
            if (seen.Add(phrase))
            {
                phrases.Add(phrase);
            }
        }

        return phrases;
    }

    private static string RandomCharacters(Random random, int length)
    {
        var chars = new char[length];
        for (int k = 0; k < length; k++)
        {
            chars[k] = CommonCharacters[random.Next(CommonCharacters.Length)];
        }

        return new string(chars);
    }

    private static string CheckedMessage(string raw)
    {
        string normalized = TextNormalizer.Normalize(raw);
        if (normalized.Length != 40)
        {
            throw new InvalidOperationException("The benchmark message must be 40 characters, not " + normalized.Length + ".");
        }

        return normalized;
    }
}
