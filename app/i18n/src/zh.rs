//! Every message in Simplified Chinese.

use super::Msg;

/// The text of `msg` in this language.
pub fn text(msg: Msg) -> &'static str {
    match msg {
        Msg::SignOut => "退出登录",
        Msg::WorkspaceLabel => "工作区",
        Msg::Settings => "设置",
        Msg::AppTitle => "口碑传播分析",
        Msg::AppTagline => "触达、粉丝转化与口碑传播路径",
        Msg::Campaigns => "营销活动",
        Msg::Loading => "加载中…",
        Msg::Retry => "重试",
        Msg::ErrorUnreachable => "无法连接分析服务接口",
        Msg::ErrorNotFound => "未找到",
        Msg::ErrorServer => "分析服务接口返回错误",
        Msg::ErrorMalformed => "分析服务接口返回的数据无法识别",
        Msg::ErrorUnreachableHint => "请确认服务器正在运行，然后重试。",
        Msg::NoCampaigns => "还没有营销活动",
        Msg::NoCampaignsHint => {
            "使用 --demo 启动服务器以加载演示工作区，或导入您的事件数据（见 README）。"
        }
        Msg::Competitor => "竞品监测",
        Msg::Budget => "预算",
        Msg::NoBudget => "未设置预算",
        Msg::BackToCampaigns => "全部活动",
        Msg::KeyFigures => "核心指标",
        Msg::ReachChartTitle => "触达趋势（累计）",
        Msg::ChartAxisDate => "日期",
        Msg::ChartAxisPeople => "人数",
        Msg::SeriesUniqueReach => "独立触达人数",
        Msg::SeriesImpressions => "曝光量",
        Msg::ChartEmpty => "该活动尚无曝光记录。",
        Msg::SwitchLanguage => "English",
        Msg::PageNotFound => "页面不存在",
        Msg::PageNotFoundHint => "该地址不对应仪表盘中的任何页面。",
        Msg::AppUpdated => "此页面无法加载",
        Msg::AppUpdatedHint => {
            "服务器上已没有此页面的代码（打开此标签页后仪表盘可能已更新），或网络连接中断。请重新加载以继续：当前视图已保存在地址中。"
        }
        Msg::Reload => "重新加载",
        Msg::DataSource => "所有数字均由浏览器根据工作区事件计算。",
        Msg::ExcludeSuspects => "排除疑似虚假账号",
        Msg::SuspectFansShare => "的新增粉丝疑似僵尸粉",
        Msg::SuspectSignals => {
            "疑似判定：无发帖、注册不足 30 天、关注数 ≥ 500 且 ≥ 粉丝数 20 倍，三项中至少两项；以及水军（付费发帖）的帖子。"
        }
        Msg::FunnelTitle => "粉丝转化",
        Msg::ConversionWindow => "转化窗口",
        Msg::StepExposed => "曝光",
        Msg::StepEngaged => "互动",
        Msg::StepFans => "成为粉丝",
        Msg::StepConverted => "转化",
        Msg::ColStep => "环节",
        Msg::ColUsers => "人数",
        Msg::ColStepRate => "环节转化率",
        Msg::ColOverallRate => "占曝光人数",
        Msg::ByChannel => "按渠道",
        Msg::ColChannel => "渠道",
        Msg::Retained7 => "7 天后仍关注",
        Msg::Retained30 => "30 天后",
        Msg::FunnelNote => {
            "每一环节只计在上一环节之后、且在首次曝光起的转化窗口内完成的人。括号内为 95% Wilson 置信区间。"
        }
        Msg::FunnelEmpty => "该活动尚无曝光记录，还没有人进入转化漏斗。",
        Msg::FilterFrom => "开始日期",
        Msg::FilterTo => "结束日期",
        Msg::FilterChannels => "渠道",
        Msg::FilterReset => "整个活动",
        Msg::FilterLabel => "日期范围与渠道",
        Msg::IgnoredParams => "链接中无法识别、已忽略的参数：",
        Msg::CostsWholeCampaign => {
            "单粉成本、单次转化成本和投资回报率仅按整个活动计算：预算不按日期或渠道拆分。"
        }
        Msg::EstimateNote => {
            "≈ 某一日期范围或部分渠道的独立触达由 HyperLogLog 草图合并估算；± 为 95% 置信区间。"
        }
        Msg::TrendsTitle => "分渠道趋势",
        Msg::TrendFigure => "指标",
        Msg::ChartAxisCount => "数量",
        Msg::ReachTitle => "触达",
        Msg::PotentialReach => "潜在触达",
        Msg::Overlap => "重叠",
        Msg::OverlapHint => "占潜在触达：被重复计算或从未看到内容的粉丝",
        Msg::Frequency => "频次",
        Msg::FrequencyHint => "每位触达用户的平均曝光次数",
        Msg::ReachAccounts => "统计账号",
        Msg::AllAccounts => "全部账号",
        Msg::EarnedAccounts => "赢得（其他用户）",
        Msg::SourceOwned => "自有",
        Msg::SourcePaid => "付费（KOL）",
        Msg::SourceEarned => "赢得（口碑）",
        Msg::SourcesTitle => "自有、付费与赢得媒体",
        Msg::ShareAxis => "占比",
        Msg::ColSource => "来源",
        Msg::ColAccount => "账号",
        Msg::ColReach => "独立触达",
        Msg::ColImpressions => "曝光量",
        Msg::ColNewFans => "新增粉丝",
        Msg::ColPotential => "潜在触达",
        Msg::AccountsTitle => "自有账号与 KOL",
        Msg::MatrixTitle => "官方账号矩阵：受众重叠",
        Msg::MatrixNote => {
            "每格：两个账号都触达的人数（由草图估算 |A| + |B| − |A ∪ B|，约 ±2% 以内的差异属于估算误差）；对角线为各账号自身的触达；“–”表示账号在不同渠道，用户互不相同。"
        }
        Msg::MatrixUnion => "任一官方账号触达（去重）",
        Msg::MatrixSum => "各账号直接相加",
        Msg::MatrixEmpty => "在当前筛选范围内，官方账号没有触达任何人。",
        Msg::ReachEmpty => {
            "当前筛选范围内没有触达任何人。请扩大日期范围、增加渠道或账号，或导入曝光事件。"
        }
        Msg::ReachNote => {
            "潜在触达：所有发帖或转发账号的粉丝数之和（不去重）。独立触达：去重后的曝光人数。"
        }
        Msg::FunnelSplit => "拆分",
        Msg::ByPost => "按帖子",
        Msg::ByKol => "按 KOL",
        Msg::ColPost => "首次曝光的帖子",
        Msg::ColKol => "KOL（无则为原帖作者）",
        Msg::FunnelTop => "按曝光人数排列的前 20 组。",
        Msg::Compare => "对比",
        Msg::CompareTitle => "活动对比",
        Msg::CompareHint => "选择两个活动以对比核心指标。",
        Msg::ColFigure => "指标",
        Msg::ColDifference => "B 相对 A",
        Msg::CampaignA => "活动 A",
        Msg::CampaignB => "活动 B",
        Msg::OnlyThis => "仅此账号",
        Msg::WordOfMouth => "口碑传播",
        Msg::CascadesTitle => "传播链：活动如何扩散",
        Msg::ColAuthor => "作者",
        Msg::ColPosted => "发布时间",
        Msg::ColSize => "规模",
        Msg::ColDepth => "深度",
        Msg::ColVirality => "结构病毒性",
        Msg::ColT50 => "半数到达用时 (t50)",
        Msg::ColPredicted => "预测最终规模",
        Msg::ColFlagged => "可疑转发",
        Msg::MinSize => "最小规模",
        Msg::MaxSize => "最大规模",
        Msg::AllChannels => "全部渠道",
        Msg::PagePrev => "上一页",
        Msg::PageNext => "下一页",
        Msg::PageWord => "第",
        Msg::PageOf => "页，共",
        Msg::CascadesEmpty => "没有符合条件的传播链。请放宽筛选条件，或导入帖子与转发数据。",
        Msg::Listening => "舆情监测",
        Msg::ExplorerTitle => "传播链浏览",
        Msg::LayoutLabel => "布局",
        Msg::LayoutTidy => "树状",
        Msg::LayoutRadial => "放射状",
        Msg::ZoomIn => "放大",
        Msg::ZoomOut => "缩小",
        Msg::FitView => "适应画面",
        Msg::ExcludeFlagged => "排除可疑子树",
        Msg::FlaggedTitle => "可疑刷量",
        Msg::FlagReposts => "条低质量转发，转发自",
        Msg::FlagWithin => "用时",
        Msg::SigFewFollowers => "粉丝很少",
        Msg::SigFewPosts => "几乎无发帖",
        Msg::SigNewAccount => "注册不足 30 天",
        Msg::SigFollowsMany => "关注数远多于粉丝数",
        Msg::NoFlags => "未发现可疑：没有低质量账号集中转发。",
        Msg::KeySpreaders => "关键传播者",
        Msg::ColShare => "占传播链比例",
        Msg::ColDirect => "直接转发",
        Msg::ColFollowers => "粉丝数",
        Msg::BreadthTitle => "每层广度",
        Msg::GrowthTitle => "增长曲线",
        Msg::ViralityTitle => "结构病毒性变化",
        Msg::DepthTitle => "深度变化",
        Msg::AxisLevel => "层级",
        Msg::AxisElapsed => "原帖发布后",
        Msg::AxisNodes => "节点数",
        Msg::MaxBreadth => "最大广度",
        Msg::PredictionNote => {
            "最终规模：已结束的传播（一天内且不短于其活跃时长内无新增）显示实际规模；仍在增长的传播，按其在最近一个时间点的规模、速度与静默时长做分位数回归，给出中位数及 80% 与 95% 区间；参数为内置默认值（基于 Twitter15 拟合）或本活动同渠道已结束传播的拟合。"
        }
        Msg::OutlookFinished => "已结束",
        Msg::OutlookTooEarly => "为时尚早",
        Msg::OutlookAtHour => "预测于发布后",
        Msg::OutlookDefaults => "默认参数",
        Msg::OutlookOwn => "本活动参数",
        Msg::ReplayAt => "回看当时的预测",
        Msg::ReplayNow => "现在",
        Msg::ReplayHour => "（发布后）",
        Msg::ReplayObserved => "实际最终规模",
        Msg::ReplayInside80 => "落在 80% 区间内",
        Msg::ReplayInside95 => "落在 95% 区间内、80% 区间外",
        Msg::ReplayOutside => "落在 95% 区间外",
        Msg::ReplayTooEarly => "当时发布不足一小时：为时尚早",
        Msg::Download => "下载",
        Msg::FakesExcluded => "已排除疑似虚假账号",
        Msg::NodeAccount => "账号",
        Msg::NodeAfter => "原帖发布后",
        Msg::NodeLevel => "层级",
        Msg::NodeSubtree => "子树规模",
        Msg::NodePost => "帖子",
        Msg::ExplorerHelp => {
            "滚轮缩放，拖动平移，点击节点查看详情。键盘：+ − 缩放，方向键平移，0 复位。"
        }
        Msg::ExcludedNote => "已排除：可疑转发及其下游所有节点。",
        Msg::ListeningTitle => "舆情监测：提及量与异常峰值",
        Msg::MentionsPerHour => "每小时提及量",
        Msg::SpikeRule => "峰值判定规则",
        Msg::SpikeRuleText => {
            "某小时提及量不少于 {min} 条，且比前 {w} 小时的中位数高出 {k} 个离散度以上（离散度 = 1.4826 × MAD，且不小于 √中位数）。"
        }
        Msg::SpikesTitle => "异常峰值",
        Msg::ColStart => "开始",
        Msg::ColEnd => "结束",
        Msg::ColMentions => "提及量",
        Msg::ColPeak => "峰值",
        Msg::ColBaseline => "常态（中位数）",
        Msg::ColScore => "高出离散度",
        Msg::WhatDrove => "驱动因素",
        Msg::TopPosts => "高粉丝作者的帖子",
        Msg::TopAuthors => "最活跃的作者",
        Msg::NoSpikes => "该时段没有异常峰值：提及量处于正常范围。",
        Msg::ShareOfVoice => "声量份额",
        Msg::ColBrand => "品牌",
        Msg::ListeningEmpty => "该品牌尚无提及记录。请添加品牌关键词并导入提及事件。",
        Msg::ShowDrivers => "查看",
        Msg::ListeningPeriod => "活动日期，按工作区时区。",
        Msg::PerPage => "每页行数",
    }
}
