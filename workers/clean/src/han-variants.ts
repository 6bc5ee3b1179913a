/**
 * Frequent characters whose simplified and traditional forms differ. Position i of SIMPLIFIED and
 * TRADITIONAL is one pair. Counting both tells zh-Hans from zh-Hant.
 */
const SIMPLIFIED =
  "们这国会说时发对经为过来后动还进开关长问现两实与么应学东业员体产点间报总车门见里头将无种区党军战机电记华题边农认义网线务议选领导书达财币亚岁买卖让专从众传伤优内况则刘变号叶处备复头夺妇孙宁宝实宾对导币带帮广库应开张强录忆态总恶情惯战报护担拥挥换据损摄数断无旧时显术机杀权杂条来杨极构标树样桥档梦检楼欢毁气汉汤沟没泽洁浅测济浓涨润涛渐湾满灭灯灵灾热爱牵独狱猎环现琼电画畅疗监盖盘着矿码砖础确离种积称稳穷窃竞笔筑简类粮紧纪纯纳纵纷线练组细织终绍经结给络绝统继续维综绿缓编缘网罗罚美联肃肠肤胜脑脚脸节艺药获虑虽补装见观规视览觉触誉计订认讨让训议讯记讲许论设访证评识诉词译试诗诚话诞询该详语误说请诸读谁调谈谋谓谢谨谱贝负贡财责贤败货质购贯贴贵费贸资赏赔赛赞赵赶趋跃践车轨转轮软轻载较辅辆辈辉输辞边达迁过运还这进远违连迟适选逊递遗邓邮邻郑释钟钢钱铁银链锁锋错锦长门闭问闲间闻阅队阳阴阵阶际陆陈险随隐难雾静韩页项顺须顾顿预领频题颜额风飞饭馆马驱驻验骨鱼鲁鸟鸡鸣龙";
const TRADITIONAL =
  "們這國會說時發對經為過來後動還進開關長問現兩實與麼應學東業員體產點間報總車門見裡頭將無種區黨軍戰機電記華題邊農認義網線務議選領導書達財幣亞歲買賣讓專從眾傳傷優內況則劉變號葉處備複頭奪婦孫寧寶實賓對導幣帶幫廣庫應開張強錄憶態總惡情慣戰報護擔擁揮換據損攝數斷無舊時顯術機殺權雜條來楊極構標樹樣橋檔夢檢樓歡毀氣漢湯溝沒澤潔淺測濟濃漲潤濤漸灣滿滅燈靈災熱愛牽獨獄獵環現瓊電畫暢療監蓋盤著礦碼磚礎確離種積稱穩窮竊競筆築簡類糧緊紀純納縱紛線練組細織終紹經結給絡絕統繼續維綜綠緩編緣網羅罰美聯肅腸膚勝腦腳臉節藝藥獲慮雖補裝見觀規視覽覺觸譽計訂認討讓訓議訊記講許論設訪證評識訴詞譯試詩誠話誕詢該詳語誤說請諸讀誰調談謀謂謝謹譜貝負貢財責賢敗貨質購貫貼貴費貿資賞賠賽贊趙趕趨躍踐車軌轉輪軟輕載較輔輛輩輝輸辭邊達遷過運還這進遠違連遲適選遜遞遺鄧郵鄰鄭釋鐘鋼錢鐵銀鏈鎖鋒錯錦長門閉問閒間聞閱隊陽陰陣階際陸陳險隨隱難霧靜韓頁項順須顧頓預領頻題顏額風飛飯館馬驅駐驗骨魚魯鳥雞鳴龍";

const simplifiedOnly = new Set<string>();
const traditionalOnly = new Set<string>();
{
  const s = [...SIMPLIFIED];
  const t = [...TRADITIONAL];
  for (let i = 0; i < Math.min(s.length, t.length); i++) {
    const a = s[i];
    const b = t[i];
    if (a !== undefined && b !== undefined && a !== b) {
      simplifiedOnly.add(a);
      traditionalOnly.add(b);
    }
  }
}

/** Counts of simplified-only and traditional-only characters in a text. */
export function hanVariantCounts(text: string): { simplified: number; traditional: number } {
  let simplified = 0;
  let traditional = 0;
  for (const ch of text) {
    if (simplifiedOnly.has(ch)) simplified++;
    else if (traditionalOnly.has(ch)) traditional++;
  }
  return { simplified, traditional };
}
