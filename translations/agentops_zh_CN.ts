<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AlertFormat</name>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>错误率</translation>
    </message>
    <message>
        <source>Cost per hour</source>
        <translation>每小时成本</translation>
    </message>
    <message>
        <source>Cost per day</source>
        <translation>每天成本</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>p95 延迟</translation>
    </message>
    <message>
        <source>No traffic</source>
        <translation>无流量</translation>
    </message>
    <message>
        <source>All traffic</source>
        <translation>全部流量</translation>
    </message>
    <message>
        <source>Service %1</source>
        <translation>服务 %1</translation>
    </message>
    <message>
        <source>Agent %1</source>
        <translation>智能体 %1</translation>
    </message>
    <message>
        <source>Model %1</source>
        <translation>模型 %1</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>$%1/h</source>
        <translation>$%1/小时</translation>
    </message>
    <message>
        <source>$%1/day</source>
        <translation>$%1/天</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>1 span</source>
        <translation>1 个 span</translation>
    </message>
    <message>
        <source>%1 spans</source>
        <translation>%1 个 span</translation>
    </message>
    <message>
        <source>No spans for %1</source>
        <translation>%1 内无 span</translation>
    </message>
    <message>
        <source>At most %1 in %2</source>
        <translation>%2 内最多 %1</translation>
    </message>
    <message>
        <source>%1 above %2 over %3</source>
        <translation>%3 内%1高于 %2</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Not evaluated yet</source>
        <translation>尚未评估</translation>
    </message>
    <message>
        <source>Pending since %1</source>
        <translation>自 %1 起待定</translation>
    </message>
    <message>
        <source>Firing since %1 (%2)</source>
        <translation>自 %1 起触发 (%2)</translation>
    </message>
    <message>
        <source>Alert: %1</source>
        <translation>告警：%1</translation>
    </message>
    <message>
        <source>Resolved: %1</source>
        <translation>已恢复：%1</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>%1: %2 in the last %3 (at most %4)</source>
        <translation>%1：最近 %3 内 %2（最多 %4）</translation>
    </message>
    <message>
        <source>%1: %2 %3 over %4 (threshold %5)</source>
        <translation>%1：%4 内%2 %3（阈值 %5）</translation>
    </message>
</context>
<context>
    <name>LocalSource</name>
    <message>
        <source>Local</source>
        <translation>本地</translation>
    </message>
</context>
<context>
    <name>PriceFormat</name>
    <message>
        <source>in %1</source>
        <translation>输入 %1</translation>
    </message>
    <message>
        <source>cached %1</source>
        <translation>缓存 %1</translation>
    </message>
    <message>
        <source>write %1</source>
        <translation>缓存写入 %1</translation>
    </message>
    <message>
        <source>out %1</source>
        <translation>输出 %1</translation>
    </message>
    <message>
        <source>reasoning %1</source>
        <translation>推理 %1</translation>
    </message>
    <message>
        <source>above %1: %2</source>
        <translation>超过 %1：%2</translation>
    </message>
    <message>
        <source>exact name “%1”</source>
        <translation>精确名称“%1”</translation>
    </message>
    <message>
        <source>pattern “%1”</source>
        <translation>模式“%1”</translation>
    </message>
</context>
<context>
    <name>PriceOverrides</name>
    <message>
        <source>Cannot read the price overrides %1: %2</source>
        <translation>无法读取自定义价格 %1：%2</translation>
    </message>
    <message>
        <source>The price overrides in %1 are not valid: %2</source>
        <translation>%1 中的自定义价格无效：%2</translation>
    </message>
    <message>
        <source>Cannot create the folder %1</source>
        <translation>无法创建文件夹 %1</translation>
    </message>
    <message>
        <source>Cannot write the price overrides %1: %2</source>
        <translation>无法写入自定义价格 %1：%2</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
</context>
<context>
    <name>TraceFiles</name>
    <message>
        <source>Export Failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Could not export to %1:
%2</source>
        <translation>无法导出到 %1：
%2</translation>
    </message>
</context>
<context>
    <name>agentops::client::CredentialStore</name>
    <message>
        <source>No keychain is available to keep the sign-in (a Secret Service such as GNOME Keyring or KWallet must be running): %1</source>
        <translation>没有可用的密钥环来保存登录信息（需要运行 GNOME Keyring 或 KWallet 等 Secret Service）：%1</translation>
    </message>
    <message>
        <source>The keychain is locked or refused access: %1</source>
        <translation>密钥环已锁定或拒绝访问：%1</translation>
    </message>
    <message>
        <source>The keychain reported an error: %1</source>
        <translation>密钥环报告错误：%1</translation>
    </message>
</context>
<context>
    <name>agentops::client::LocalBackend</name>
    <message>
        <source>Cannot create the data directory %1</source>
        <translation>无法创建数据目录 %1</translation>
    </message>
    <message>
        <source>Cannot open the trace database %1: %2</source>
        <translation>无法打开链路数据库 %1：%2</translation>
    </message>
    <message>
        <source>Port %1 is in use — receiving disabled; stored traces are available</source>
        <translation>端口 %1 已被占用——接收已停用；已存储的链路仍可查看</translation>
    </message>
    <message>
        <source>Cannot receive on %1:%2 (%3) — receiving disabled; stored traces are available</source>
        <translation>无法在 %1:%2 上接收（%3）——接收已停用；已存储的链路仍可查看</translation>
    </message>
    <message>
        <source>OTLP/gRPC port %1 is in use — gRPC receiving disabled</source>
        <translation>OTLP/gRPC 端口 %1 已被占用——gRPC 接收已停用</translation>
    </message>
    <message>
        <source>Cannot receive OTLP/gRPC on %1:%2 (%3)</source>
        <translation>无法在 %1:%2 上接收 OTLP/gRPC（%3）</translation>
    </message>
    <message>
        <source>Redaction rules cannot be used (%1) — receiving disabled; stored traces are available</source>
        <translation>无法使用遮盖规则（%1）— 已停用接收；已存储的追踪仍可使用</translation>
    </message>
    <message>
        <source>Redaction rules cannot be used (%1)</source>
        <translation>无法使用遮盖规则（%1）</translation>
    </message>
</context>
<context>
    <name>agentops::client::SourceManager</name>
    <message>
        <source>Local</source>
        <translation>本地</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AboutDialog</name>
    <message>
        <source>Version: %1</source>
        <translation>版本：%1</translation>
    </message>
    <message>
        <source>Source commit: %1</source>
        <translation>源代码提交：%1</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>Qt: built with %1, running with %2</source>
        <translation>Qt：构建于 %1，运行于 %2</translation>
    </message>
    <message>
        <source>Compiler: %1</source>
        <translation>编译器：%1</translation>
    </message>
    <message>
        <source>Build type: %1</source>
        <translation>构建类型：%1</translation>
    </message>
    <message>
        <source>Platform: %1 (%2), %3</source>
        <translation>平台：%1（%2），%3</translation>
    </message>
    <message>
        <source>About AgentOps Monitor</source>
        <translation>关于 AgentOps Monitor</translation>
    </message>
    <message>
        <source>AgentOps Monitor %1</source>
        <translation>AgentOps Monitor %1</translation>
    </message>
    <message>
        <source>Traces, costs and failures of AI agents, on your desktop. Receives OpenTelemetry traces over OTLP/HTTP and keeps them in a local database.</source>
        <translation>在桌面上查看 AI 智能体的链路、费用和故障。通过 OTLP/HTTP 接收 OpenTelemetry 链路，并保存在本地数据库中。</translation>
    </message>
    <message>
        <source>Released under the MIT licence; see the Licence tab.</source>
        <translation>以 MIT 许可证发布；参见“许可证”标签页。</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Home page</source>
        <translation>主页</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Components</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>构建</translation>
    </message>
    <message>
        <source>Copy Build Details</source>
        <translation>复制构建详情</translation>
    </message>
    <message>
        <source>The documentation is not installed (the package puts it in /usr/share/doc/agentops-monitor).</source>
        <translation>文档未安装（软件包会将其放在 /usr/share/doc/agentops-monitor）。</translation>
    </message>
    <message>
        <source>Documentation:</source>
        <translation>文档：</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AlertMonitor</name>
    <message>
        <source>and 1 more alert</source>
        <translation>以及另外 1 条告警</translation>
    </message>
    <message>
        <source>and %1 more alerts</source>
        <translation>以及另外 %1 条告警</translation>
    </message>
    <message>
        <source>AgentOps Monitor</source>
        <translation>AgentOps Monitor</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AlertRuleDialog</name>
    <message>
        <source>Evaluate this rule</source>
        <translation>评估此规则</translation>
    </message>
    <message>
        <source>Edit Alert Rule</source>
        <translation>编辑告警规则</translation>
    </message>
    <message>
        <source>New Alert Rule</source>
        <translation>新建告警规则</translation>
    </message>
    <message>
        <source>e.g. checkout errors</source>
        <translation>例如：checkout 错误</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>The condition must hold this long before the alert fires, and be gone this long before it resolves, so a value that wavers around the threshold does not notify again and again.</source>
        <translation>条件须持续这么久才触发告警，并须消失这么久才恢复，这样在阈值附近波动的值不会反复通知。</translation>
    </message>
    <message>
        <source>All traffic</source>
        <translation>全部流量</translation>
    </message>
    <message>
        <source>One service</source>
        <translation>一个服务</translation>
    </message>
    <message>
        <source>One agent</source>
        <translation>一个智能体</translation>
    </message>
    <message>
        <source>One model</source>
        <translation>一个模型</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Watch:</source>
        <translation>监视(&amp;W)：</translation>
    </message>
    <message>
        <source>&amp;Threshold:</source>
        <translation>阈值(&amp;T)：</translation>
    </message>
    <message>
        <source>Over the last:</source>
        <translation>最近时段：</translation>
    </message>
    <message>
        <source>&amp;For at least:</source>
        <translation>持续至少(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Scope:</source>
        <translation>范围(&amp;S)：</translation>
    </message>
    <message>
        <source>Na&amp;me in scope:</source>
        <translation>范围内名称(&amp;M)：</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>$</source>
        <translation>$</translation>
    </message>
    <message>
        <source> per hour</source>
        <translation> 每小时</translation>
    </message>
    <message>
        <source> per day</source>
        <translation> 每天</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>at most </source>
        <translation>最多 </translation>
    </message>
    <message>
        <source> spans</source>
        <translation> 个 span</translation>
    </message>
    <message>
        <source>service.name, e.g. checkout</source>
        <translation>service.name，例如 checkout</translation>
    </message>
    <message>
        <source>agent name, e.g. weather_agent</source>
        <translation>智能体名称，例如 weather_agent</translation>
    </message>
    <message>
        <source>model, e.g. gpt-4o-mini</source>
        <translation>模型，例如 gpt-4o-mini</translation>
    </message>
    <message>
        <source>Give the rule a name.</source>
        <translation>请为规则命名。</translation>
    </message>
    <message>
        <source>Name the service, agent or model the rule watches.</source>
        <translation>请填写规则监视的服务、智能体或模型的名称。</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AlertRulesPage</name>
    <message>
        <source>&amp;Add…</source>
        <translation>添加(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Rules are checked every minute against the traces in this computer&apos;s database. When one fires or resolves, a desktop notification tells you, and View ▸ Alerts lists it.</source>
        <translation>规则每分钟按本机数据库中的 trace 检查一次。规则触发或恢复时会有桌面通知，并在 视图 ▸ 告警 中列出。</translation>
    </message>
    <message>
        <source>Alerts need the local database, which this session does not have.</source>
        <translation>告警需要本地数据库，而此会话没有。</translation>
    </message>
    <message>
        <source>The alert rules could not be read: %1</source>
        <translation>无法读取告警规则：%1</translation>
    </message>
    <message>
        <source>No alert rules yet. Add one to hear when error rates, cost or latency go up, or when an agent goes quiet.</source>
        <translation>还没有告警规则。添加一条，即可在错误率、成本或延迟上升，或智能体沉寂时得到通知。</translation>
    </message>
    <message>
        <source>Alert Rule Not Saved</source>
        <translation>告警规则未保存</translation>
    </message>
    <message>
        <source>Remove Alert Rule</source>
        <translation>删除告警规则</translation>
    </message>
    <message>
        <source>Remove the alert rule “%1”? Alerts it raised stay in the list.</source>
        <translation>删除告警规则“%1”？它已产生的告警会保留在列表中。</translation>
    </message>
    <message>
        <source>Alert Rule Not Removed</source>
        <translation>告警规则未删除</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AlertsDialog</name>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Firing since</source>
        <translation>触发时间</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>&amp;Firing now</source>
        <translation>正在触发(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Recent alerts</source>
        <translation>最近告警(&amp;R)</translation>
    </message>
    <message>
        <source>Alert R&amp;ules…</source>
        <translation>告警规则(&amp;U)…</translation>
    </message>
    <message>
        <source>&amp;Check Now</source>
        <translation>立即检查(&amp;C)</translation>
    </message>
    <message>
        <source>Alerts need the local database, which this session does not have.</source>
        <translation>告警需要本地数据库，而此会话没有。</translation>
    </message>
    <message>
        <source>The alerts could not be read: %1</source>
        <translation>无法读取告警：%1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Fired</source>
        <translation>已触发</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>No alert rules yet: make one with Alert Rules…</source>
        <translation>还没有告警规则：用“告警规则…”创建一条</translation>
    </message>
    <message>
        <source>No alert is firing. 1 rule is checked every minute.</source>
        <translation>没有正在触发的告警。每分钟检查 1 条规则。</translation>
    </message>
    <message>
        <source>No alert is firing. %1 rules are checked every minute.</source>
        <translation>没有正在触发的告警。每分钟检查 %1 条规则。</translation>
    </message>
    <message>
        <source>1 alert firing.</source>
        <translation>1 条告警正在触发。</translation>
    </message>
    <message>
        <source>%1 alerts firing.</source>
        <translation>%1 条告警正在触发。</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AttributeModel</name>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AttributeTable</name>
    <message>
        <source>Filter by key or value</source>
        <translation>按键或值筛选</translation>
    </message>
    <message>
        <source>No attributes</source>
        <translation>无属性</translation>
    </message>
    <message>
        <source>Copy Value</source>
        <translation>复制值</translation>
    </message>
    <message>
        <source>Copy Key</source>
        <translation>复制键</translation>
    </message>
    <message>
        <source>Copy All as JSON</source>
        <translation>全部复制为 JSON</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ComparePage</name>
    <message>
        <source>First divergence</source>
        <translation>第一处差异</translation>
    </message>
    <message>
        <source>Compare runs</source>
        <translation>比较运行</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Back to the page the comparison was opened from (Esc, Alt+Left)</source>
        <translation>返回打开比较的页面 (Esc, Alt+左)</translation>
    </message>
    <message>
        <source>Select the first step that differs between the runs (Alt+D)</source>
        <translation>选择两次运行之间第一个不同的步骤 (Alt+D)</translation>
    </message>
    <message>
        <source>Aligned steps</source>
        <translation>对齐的步骤</translation>
    </message>
    <message>
        <source>Text differences of the selected step</source>
        <translation>所选步骤的文本差异</translation>
    </message>
    <message>
        <source>Comparing runs…</source>
        <translation>正在比较运行…</translation>
    </message>
    <message>
        <source>Could not compare the runs: %1</source>
        <translation>无法比较运行：%1</translation>
    </message>
    <message>
        <source>A: %1 · B: %2</source>
        <translation>A：%1 · B：%2</translation>
    </message>
    <message>
        <source>Δ tokens: &lt;b&gt;%1&lt;/b&gt; (input %2, output %3)</source>
        <translation>Δ Token：&lt;b&gt;%1&lt;/b&gt;（输入 %2，输出 %3）</translation>
    </message>
    <message>
        <source>Δ cost: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Δ 费用：&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>no price</source>
        <translation>无价格</translation>
    </message>
    <message>
        <source>Δ latency: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Δ 延迟：&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>%1 added, %2 removed, %3 changed of %4 steps</source>
        <translation>%4 个步骤中新增 %1、删除 %2、更改 %3</translation>
    </message>
    <message>
        <source>First divergence: step %1, “%2” (%3)</source>
        <translation>第一处差异：步骤 %1，“%2”（%3）</translation>
    </message>
    <message>
        <source>No divergence: every step is alike</source>
        <translation>无差异：所有步骤都相同</translation>
    </message>
    <message>
        <source>inputs and outputs were not compared (a big trace is read without them)</source>
        <translation>未比较输入和输出（大型追踪读取时不含它们）</translation>
    </message>
    <message>
        <source>Comparing the texts…</source>
        <translation>正在比较文本…</translation>
    </message>
    <message>
        <source>Could not read the step: %1</source>
        <translation>无法读取该步骤：%1</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>the same in both runs</source>
        <translation>两次运行中相同</translation>
    </message>
    <message>
        <source>only in run B</source>
        <translation>仅在运行 B 中</translation>
    </message>
    <message>
        <source>only in run A</source>
        <translation>仅在运行 A 中</translation>
    </message>
    <message>
        <source>only the beginning was compared</source>
        <translation>仅比较了开头部分</translation>
    </message>
    <message>
        <source>Input (prompt or tool arguments)</source>
        <translation>输入（提示词或工具参数）</translation>
    </message>
    <message>
        <source>Output (completion or tool result)</source>
        <translation>输出（回复或工具结果）</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>unset</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>“%1” %2 (%3, %4, %5)</source>
        <translation>“%1” %2（%3，%4，%5）</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>不同</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Run A</source>
        <translation>运行 A</translation>
    </message>
    <message>
        <source>Run B</source>
        <translation>运行 B</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ComparePendingBar</name>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel the comparison</source>
        <translation>取消比较</translation>
    </message>
    <message>
        <source>Comparison in progress</source>
        <translation>比较进行中</translation>
    </message>
    <message>
        <source>Compare run A with the trace selected now (Ctrl+D)</source>
        <translation>将运行 A 与当前所选追踪进行比较（Ctrl+D）</translation>
    </message>
    <message>
        <source>Forget run A (Esc)</source>
        <translation>放弃运行 A（Esc）</translation>
    </message>
    <message>
        <source>Comparing with %1 from %2 — select run B, in any list and from any source, and press Ctrl+D or Compare</source>
        <translation>正在与来自 %2 的 %1 比较 — 在任意列表、任意来源中选择运行 B，然后按 Ctrl+D 或点击“比较”</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ConnectionBanner</name>
    <message>
        <source>Retry Now</source>
        <translation>立即重试</translation>
    </message>
    <message>
        <source>Sign In…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <source>Cannot reach %1 — retrying in %2 s</source>
        <translation>无法连接 %1——%2 秒后重试</translation>
    </message>
    <message>
        <source>Cannot reach %1 — retrying…</source>
        <translation>无法连接 %1——正在重试…</translation>
    </message>
    <message>
        <source>Signed out of %1: the session expired or was revoked. Sign in again to see its traces.</source>
        <translation>已从 %1 登出：会话已过期或被撤销。请重新登录以查看其链路。</translation>
    </message>
    <message>
        <source>%1 refused access: %2</source>
        <translation>%1 拒绝访问：%2</translation>
    </message>
    <message>
        <source>%1 reported an error: %2</source>
        <translation>%1 报告错误：%2</translation>
    </message>
</context>
<context>
    <name>agentops::ui::CrashReportDialog</name>
    <message>
        <source>AgentOps Monitor Quit Unexpectedly</source>
        <translation>AgentOps Monitor 意外退出</translation>
    </message>
    <message>
        <source>AgentOps Monitor quit unexpectedly %1 times since it last ran. The latest report is below and in %2. It stays on this computer: nothing was sent anywhere.</source>
        <translation>自上次运行以来，AgentOps Monitor 已意外退出 %1 次。最新的报告显示在下方，并保存在 %2。报告只保存在这台计算机上，没有发送到任何地方。</translation>
    </message>
    <message>
        <source>AgentOps Monitor quit unexpectedly the last time it ran. The report below is in %1. It stays on this computer: nothing was sent anywhere.</source>
        <translation>AgentOps Monitor 上次运行时意外退出。下方的报告保存在 %1。报告只保存在这台计算机上，没有发送到任何地方。</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DashboardChartView</name>
    <message>
        <source>Save Chart as PNG…</source>
        <translation>将图表另存为 PNG…</translation>
    </message>
    <message>
        <source>Save Chart</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Save Data as CSV…</source>
        <translation>将数据另存为 CSV…</translation>
    </message>
    <message>
        <source>Save Chart Data</source>
        <translation>保存图表数据</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Copy Data</source>
        <translation>复制数据</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation>仪表板</translation>
    </message>
    <message>
        <source>Split by model</source>
        <translation>按模型拆分</translation>
    </message>
    <message>
        <source>Split by service</source>
        <translation>按服务拆分</translation>
    </message>
    <message>
        <source>Split by span kind</source>
        <translation>按 Span 类型拆分</translation>
    </message>
    <message>
        <source>Split by agent</source>
        <translation>按智能体拆分</translation>
    </message>
    <message>
        <source>No split</source>
        <translation>不拆分</translation>
    </message>
    <message>
        <source>How cost is broken down</source>
        <translation>费用的细分方式</translation>
    </message>
    <message>
        <source>Refresh now (the dashboard also refreshes every few seconds)</source>
        <translation>立即刷新（仪表板也会每隔几秒自动刷新）</translation>
    </message>
    <message>
        <source>Metrics are not available</source>
        <translation>指标不可用</translation>
    </message>
    <message>
        <source>The current trace source cannot compute metrics. The Traces and Sessions pages still work.</source>
        <translation>当前链路来源无法计算指标。“链路”和“会话”页面仍可使用。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Could not load metrics</source>
        <translation>无法加载指标</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>更新于 %1</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DashboardView</name>
    <message>
        <source>Traces</source>
        <translation>链路</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>错误率</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>p95 trace latency</source>
        <translation>p95 链路延迟</translation>
    </message>
    <message>
        <source>LLM calls</source>
        <translation>LLM 调用</translation>
    </message>
    <message>
        <source>Latency of whole traces or of single LLM calls</source>
        <translation>整条链路或单次 LLM 调用的延迟</translation>
    </message>
    <message>
        <source>Traces and error rate</source>
        <translation>链路与错误率</translation>
    </message>
    <message>
        <source>Latency percentiles</source>
        <translation>延迟百分位</translation>
    </message>
    <message>
        <source>Cost by model</source>
        <translation>按模型的费用</translation>
    </message>
    <message>
        <source>Top failing spans</source>
        <translation>失败最多的 Span</translation>
    </message>
    <message>
        <source>Slowest traces</source>
        <translation>最慢的链路</translation>
    </message>
    <message>
        <source>Costliest traces</source>
        <translation>费用最高的链路</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at the OTLP/HTTP endpoint (&lt;b&gt;/v1/traces&lt;/b&gt; on the address shown in the status bar), open a trace file (Ctrl+O), or choose a longer time range.</source>
        <translation>将 OpenTelemetry 导出器指向 OTLP/HTTP 端点（状态栏所示地址上的 &lt;b&gt;/v1/traces&lt;/b&gt;），打开链路文件（Ctrl+O），或选择更长的时间范围。</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>span kind</source>
        <translation>Span 类型</translation>
    </message>
    <message>
        <source>agent</source>
        <translation>智能体</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>No traces in this time range</source>
        <translation>此时间范围内没有链路</translation>
    </message>
    <message>
        <source>Cost by %1</source>
        <translation>按%1的费用</translation>
    </message>
    <message>
        <source>Cost in range</source>
        <translation>时间范围内的费用</translation>
    </message>
    <message>
        <source>Cost by %1 in range</source>
        <translation>时间范围内按%1的费用</translation>
    </message>
    <message>
        <source>%1 spans</source>
        <translation>%1 个 Span</translation>
    </message>
    <message>
        <source>1 failed trace</source>
        <translation>1 条失败的链路</translation>
    </message>
    <message>
        <source>%1 failed traces</source>
        <translation>%1 条失败的链路</translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation>输入 %1 · 输出 %2</translation>
    </message>
    <message>
        <source>1 unpriced span</source>
        <translation>1 个未计价的 Span</translation>
    </message>
    <message>
        <source>%1 unpriced spans</source>
        <translation>%1 个未计价的 Span</translation>
    </message>
    <message>
        <source>%1 per trace</source>
        <translation>每条链路 %1</translation>
    </message>
    <message>
        <source>p50 %1 · p99 %2</source>
        <translation>p50 %1 · p99 %2</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Error rate (right)</source>
        <translation>错误率（右轴）</translation>
    </message>
    <message>
        <source>Error spans</source>
        <translation>错误 Span</translation>
    </message>
    <message>
        <source>Click to list these traces</source>
        <translation>点击列出这些链路</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Input, cache read</source>
        <translation>输入，缓存读取</translation>
    </message>
    <message>
        <source>Output (incl. reasoning)</source>
        <translation>输出（含推理）</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>  of which reasoning</source>
        <translation>  其中推理</translation>
    </message>
    <message>
        <source>Cache write (in input)</source>
        <translation>缓存写入（计入输入）</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>%1 (unpriced spans)</source>
        <translation>%1（未计价的 Span）</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>p95</source>
        <translation>p95</translation>
    </message>
    <message>
        <source>p99</source>
        <translation>p99</translation>
    </message>
    <message>
        <source>no samples</source>
        <translation>无样本</translation>
    </message>
    <message>
        <source>Share of cost</source>
        <translation>费用占比</translation>
    </message>
    <message>
        <source>Unpriced spans</source>
        <translation>未计价的 Span</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DatabaseBackup</name>
    <message>
        <source>Backing up the database to %1…</source>
        <translation>正在将数据库备份到 %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Back Up Database</source>
        <translation>备份数据库</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <source>The backup was cancelled; nothing was written.</source>
        <translation>备份已取消，未写入任何内容。</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DocumentationBrowser</name>
    <message>
        <source>AgentOps Monitor Documentation</source>
        <translation>AgentOps Monitor 文档</translation>
    </message>
    <message>
        <source>Back (Alt+Left)</source>
        <translation>后退（Alt+Left）</translation>
    </message>
    <message>
        <source>Forward (Alt+Right)</source>
        <translation>前进（Alt+Right）</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>目录</translation>
    </message>
    <message>
        <source>The README, which links every other page</source>
        <translation>README，链接到其他所有页面</translation>
    </message>
    <message>
        <source>The documentation is not installed. The agentops-monitor package puts it in /usr/share/doc/agentops-monitor; looked in:

%1</source>
        <translation>文档未安装。agentops-monitor 软件包会将其放在 /usr/share/doc/agentops-monitor；已查找：

%1</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ElidedTextView</name>
    <message>
        <source>Showing the first %1 of %2.</source>
        <translation>显示 %2 中的前 %1。</translation>
    </message>
    <message>
        <source>Show all (%1)</source>
        <translation>全部显示（%1）</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ErrorGroupModel</name>
    <message>
        <source>(no message)</source>
        <translation>（无消息）</translation>
    </message>
    <message>
        <source>Double-click to open an example trace</source>
        <translation>双击打开一条示例链路</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>Span</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>最近出现</translation>
    </message>
</context>
<context>
    <name>agentops::ui::JsonTreeModel</name>
    <message>
        <source>(value)</source>
        <translation>（值）</translation>
    </message>
    <message>
        <source>{1 key}</source>
        <translation>{1 个键}</translation>
    </message>
    <message>
        <source>{%1 keys}</source>
        <translation>{%1 个键}</translation>
    </message>
    <message>
        <source>[1 item]</source>
        <translation>[1 项]</translation>
    </message>
    <message>
        <source>[%1 items]</source>
        <translation>[%1 项]</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
</context>
<context>
    <name>agentops::ui::MainWindow</name>
    <message>
        <source>AgentOps Monitor</source>
        <translation>AgentOps Monitor</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>仪表板</translation>
    </message>
    <message>
        <source>Traces</source>
        <translation>链路</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Could not load: %1</source>
        <translation>无法加载：%1</translation>
    </message>
    <message>
        <source>Imported %1 spans</source>
        <translation>已导入 %1 个 Span</translation>
    </message>
    <message>
        <source>Imported %1 spans; %2 left out (see the import details)</source>
        <translation>已导入 %1 个 Span；%2 个被略过（见导入详情）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Trace File…</source>
        <translation>打开链路文件(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Export Selected Traces…</source>
        <translation>导出所选链路(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Dashboard</source>
        <translation>仪表板(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Traces</source>
        <translation>链路(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Sessions</source>
        <translation>会话(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Configure AgentOps Monitor…</source>
        <translation>配置 AgentOps Monitor(&amp;C)…</translation>
    </message>
    <message>
        <source>Model &amp;prices…</source>
        <translation>模型价格(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About AgentOps Monitor</source>
        <translation>关于 AgentOps Monitor(&amp;A)</translation>
    </message>
    <message>
        <source>99,999 spans/s</source>
        <translation>99,999 Span/秒</translation>
    </message>
    <message>
        <source>99,999+ traces</source>
        <translation>99,999+ 条链路</translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation>正在读取 %1</translation>
    </message>
    <message>
        <source>Receiving OTLP on %1</source>
        <translation>正在 %1 上接收 OTLP</translation>
    </message>
    <message>
        <source>Point OpenTelemetry exporters at %1/v1/traces</source>
        <translation>将 OpenTelemetry 导出器指向 %1/v1/traces</translation>
    </message>
    <message>
        <source>Change the port in Settings to receive traces</source>
        <translation>请在设置中更改端口以接收链路</translation>
    </message>
    <message>
        <source>Receiving is off; stored traces are available</source>
        <translation>接收已关闭；已存储的链路仍可查看</translation>
    </message>
    <message>
        <source>Open a trace file (Ctrl+O) or drop one here.</source>
        <translation>打开链路文件（Ctrl+O），或将文件拖放到此处。</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at &lt;b&gt;%1/v1/traces&lt;/b&gt;,&lt;br&gt;or open a trace file (Ctrl+O).</source>
        <translation>将 OpenTelemetry 导出器指向 &lt;b&gt;%1/v1/traces&lt;/b&gt;，&lt;br&gt;或打开链路文件（Ctrl+O）。</translation>
    </message>
    <message>
        <source>No traces to show</source>
        <translation>没有可显示的链路</translation>
    </message>
    <message>
        <source>Open a trace file (Ctrl+O), or choose a longer time range.</source>
        <translation>打开链路文件（Ctrl+O），或选择更长的时间范围。</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at &lt;b&gt;%1/v1/traces&lt;/b&gt;,&lt;br&gt;open a trace file (Ctrl+O), or choose a longer time range.</source>
        <translation>将 OpenTelemetry 导出器指向 &lt;b&gt;%1/v1/traces&lt;/b&gt;，&lt;br&gt;打开链路文件（Ctrl+O），或选择更长的时间范围。</translation>
    </message>
    <message>
        <source>%1 spans/s</source>
        <translation>%1 Span/秒</translation>
    </message>
    <message>
        <source>Spans received per second</source>
        <translation>每秒接收的 Span 数</translation>
    </message>
    <message>
        <source>%1+ traces</source>
        <translation>%1+ 条链路</translation>
    </message>
    <message>
        <source>%1 traces loaded; scroll down for more</source>
        <translation>已加载 %1 条链路；向下滚动加载更多</translation>
    </message>
    <message>
        <source>1 trace</source>
        <translation>1 条链路</translation>
    </message>
    <message>
        <source>%1 traces</source>
        <translation>%1 条链路</translation>
    </message>
    <message>
        <source>Open Trace Files</source>
        <translation>打开链路文件</translation>
    </message>
    <message>
        <source>Trace files (%1);;All files (*)</source>
        <translation>链路文件 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Trace files can only be imported into the local database.</source>
        <translation>链路文件只能导入本地数据库。</translation>
    </message>
    <message>
        <source>An import is still running</source>
        <translation>仍有导入正在进行</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <source>Importing %1 files…</source>
        <translation>正在导入 %1 个文件…</translation>
    </message>
    <message>
        <source>Export Traces</source>
        <translation>导出链路</translation>
    </message>
    <message>
        <source>Select the traces to export first.</source>
        <translation>请先选择要导出的链路。</translation>
    </message>
    <message>
        <source>Export Trace</source>
        <translation>导出链路</translation>
    </message>
    <message>
        <source>Export %1 Traces</source>
        <translation>导出 %1 条链路</translation>
    </message>
    <message>
        <source>OTLP JSON lines (*.jsonl);;All files (*)</source>
        <translation>OTLP JSON Lines (*.jsonl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Exported 1 trace to %1</source>
        <translation>已将 1 条链路导出到 %1</translation>
    </message>
    <message>
        <source>Exported %1 traces to %2</source>
        <translation>已将 %1 条链路导出到 %2</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <source>Local database</source>
        <translation>本地数据库</translation>
    </message>
    <message>
        <source>%1 — AgentOps Monitor</source>
        <translation>%1 — AgentOps Monitor</translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation>服务器：%1</translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation>文档(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Team server %1</source>
        <translation>团队服务器 %1</translation>
    </message>
    <message>
        <source>Team server %1, project %2</source>
        <translation>团队服务器 %1，项目 %2</translation>
    </message>
    <message>
        <source>Traces come from %1, signed in as %2. The receiver on this computer keeps running; choose Local in Source to see what it received.</source>
        <translation>链路来自 %1，登录身份为 %2。本机上的接收器仍在运行；在“来源”中选择“本地”即可查看它收到的内容。</translation>
    </message>
    <message>
        <source>Receiving OTLP on %1 (HTTP) and %2 (gRPC)</source>
        <translation>正在 %1（HTTP）和 %2（gRPC）上接收 OTLP</translation>
    </message>
    <message>
        <source>Point OpenTelemetry exporters at %1/v1/traces (OTLP/HTTP) or %2 (OTLP/gRPC)</source>
        <translation>将 OpenTelemetry 导出器指向 %1/v1/traces（OTLP/HTTP）或 %2（OTLP/gRPC）</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at &lt;b&gt;%1/v1/traces&lt;/b&gt; (OTLP/HTTP)&lt;br&gt;or &lt;b&gt;%2&lt;/b&gt; (OTLP/gRPC), or open a trace file (Ctrl+O).</source>
        <translation>将 OpenTelemetry 导出器指向 &lt;b&gt;%1/v1/traces&lt;/b&gt;（OTLP/HTTP）&lt;br&gt;或 &lt;b&gt;%2&lt;/b&gt;（OTLP/gRPC），或打开链路文件（Ctrl+O）。</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at &lt;b&gt;%1/v1/traces&lt;/b&gt; (OTLP/HTTP)&lt;br&gt;or &lt;b&gt;%2&lt;/b&gt; (OTLP/gRPC), open a trace file (Ctrl+O), or choose a longer time range.</source>
        <translation>将 OpenTelemetry 导出器指向 &lt;b&gt;%1/v1/traces&lt;/b&gt;（OTLP/HTTP）&lt;br&gt;或 &lt;b&gt;%2&lt;/b&gt;（OTLP/gRPC），打开链路文件（Ctrl+O），或选择更长的时间范围。</translation>
    </message>
    <message>
        <source>&amp;Compare Selected Runs</source>
        <translation>比较所选运行(&amp;C)</translation>
    </message>
    <message>
        <source>Compare the two traces selected in the list, step by step</source>
        <translation>逐步比较列表中选中的两个追踪</translation>
    </message>
    <message>
        <source>Compare &amp;With…</source>
        <translation>与…比较(&amp;W)</translation>
    </message>
    <message>
        <source>Keep the open trace as run A; then pick run B, from any source, and compare</source>
        <translation>将打开的追踪保留为运行 A，再从任意来源选择运行 B 进行比较</translation>
    </message>
    <message>
        <source>Select one trace to compare with run A, then press Ctrl+D</source>
        <translation>选择一个要与运行 A 比较的追踪，然后按 Ctrl+D</translation>
    </message>
    <message>
        <source>Select two traces to compare (Ctrl+click), then press Ctrl+D</source>
        <translation>选择两个要比较的追踪（Ctrl+单击），然后按 Ctrl+D</translation>
    </message>
    <message>
        <source>Open or select the trace to compare first</source>
        <translation>请先打开或选择要比较的追踪</translation>
    </message>
    <message>
        <source>“%1” (%2)</source>
        <translation>“%1”（%2）</translation>
    </message>
    <message>
        <source>Compare With %1</source>
        <translation>与 %1 比较</translation>
    </message>
    <message>
        <source>Select one trace to compare with run A</source>
        <translation>选择一个要与运行 A 比较的追踪</translation>
    </message>
    <message>
        <source>Select two traces to compare them (Ctrl+click)</source>
        <translation>选择两个要比较的追踪（Ctrl+单击）</translation>
    </message>
    <message>
        <source>Select one trace to keep as run A</source>
        <translation>选择一个追踪作为运行 A</translation>
    </message>
    <message>
        <source>Backed up the database to %1 (%2)</source>
        <translation>已将数据库备份到 %1（%2）</translation>
    </message>
    <message>
        <source>Back Up Database</source>
        <translation>备份数据库</translation>
    </message>
    <message>
        <source>The database could not be backed up. Nothing was written.</source>
        <translation>无法备份数据库。未写入任何内容。</translation>
    </message>
    <message>
        <source>&amp;Back Up Database…</source>
        <translation>备份数据库(&amp;B)…</translation>
    </message>
    <message>
        <source>Write a backup of the local database to a file</source>
        <translation>将本地数据库的备份写入文件</translation>
    </message>
    <message>
        <source>Search index unavailable</source>
        <translation>搜索索引不可用</translation>
    </message>
    <message>
        <source>Indexing for search: %1 %</source>
        <translation>正在建立搜索索引：%1 %</translation>
    </message>
    <message>
        <source>Searches find what is indexed so far; %1 spans to go.</source>
        <translation>搜索只覆盖已建立索引的部分；还剩 %1 个 span。</translation>
    </message>
    <message>
        <source>Backups (*.tar);;All files (*)</source>
        <translation>备份 (*.tar);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Select another trace than run A to compare with it</source>
        <translation>请选择运行 A 以外的 trace 与之比较</translation>
    </message>
    <message>
        <source>&amp;Alerts…</source>
        <translation>告警(&amp;A)…</translation>
    </message>
    <message>
        <source>The alerts firing now and the recent ones, from the local database&apos;s rules</source>
        <translation>本地数据库规则产生的正在触发和最近的告警</translation>
    </message>
    <message>
        <source>Show the alerts (View ▸ Alerts)</source>
        <translation>显示告警（视图 ▸ 告警）</translation>
    </message>
    <message>
        <source>⚠ 1 alert firing</source>
        <translation>⚠ 1 条告警正在触发</translation>
    </message>
    <message>
        <source>⚠ %1 alerts firing</source>
        <translation>⚠ %1 条告警正在触发</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Database %1 · %2 free</source>
        <translation>数据库 %1 · 可用 %2</translation>
    </message>
    <message>
        <source>Database %1</source>
        <translation>数据库 %1</translation>
    </message>
    <message>
        <source>Disk low: %1</source>
        <translation>磁盘空间不足：%1</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <source>Write-ahead log: %1</source>
        <translation>预写日志：%1</translation>
    </message>
    <message>
        <source>Search index: %1</source>
        <translation>搜索索引：%1</translation>
    </message>
    <message>
        <source>Search index log: %1</source>
        <translation>搜索索引日志：%1</translation>
    </message>
    <message>
        <source>Free on its disk: %1 of %2</source>
        <translation>所在磁盘可用：%1 / %2</translation>
    </message>
    <message>
        <source>Low below: %1</source>
        <translation>低于此值即告警：%1</translation>
    </message>
    <message>
        <source>Kept within: %1 (Settings)</source>
        <translation>上限：%1（设置）</translation>
    </message>
    <message>
        <source>Free space on this disk, or keep the database smaller in Settings ▸ Storage.</source>
        <translation>请释放此磁盘空间，或在“设置 ▸ 存储”中限制数据库大小。</translation>
    </message>
    <message>
        <source>Disk low: %1 free (warning below %2). New traces are refused once it is full.</source>
        <translation>磁盘空间不足：可用 %1（低于 %2 时告警）。磁盘写满后将拒绝新的追踪。</translation>
    </message>
    <message>
        <source>E&amp;rase %1 Traces…</source>
        <translation>清除 %1 个追踪(&amp;R)…</translation>
    </message>
    <message>
        <source>E&amp;rase Trace…</source>
        <translation>清除追踪(&amp;R)…</translation>
    </message>
    <message>
        <source>E&amp;rase Session…</source>
        <translation>清除会话(&amp;R)…</translation>
    </message>
    <message>
        <source>Erase the trace %1 for good?</source>
        <translation>永久清除追踪 %1？</translation>
    </message>
    <message>
        <source>Erase these %1 traces for good?</source>
        <translation>永久清除这 %1 个追踪？</translation>
    </message>
    <message>
        <source>Erase Trace</source>
        <translation>清除追踪</translation>
    </message>
    <message>
        <source>Erase Traces</source>
        <translation>清除追踪</translation>
    </message>
    <message>
        <source>Erase session “%1” and its trace for good?</source>
        <translation>永久清除会话“%1”及其追踪？</translation>
    </message>
    <message>
        <source>Erase session “%1” and its %2 traces for good?</source>
        <translation>永久清除会话“%1”及其 %2 个追踪？</translation>
    </message>
    <message>
        <source>Erase Session</source>
        <translation>清除会话</translation>
    </message>
    <message>
        <source>Not imported: %1</source>
        <translation>未导入：%1</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ModelPriceTester</name>
    <message>
        <source>Test a model name</source>
        <translation>测试模型名称</translation>
    </message>
    <message>
        <source>model name as spans report it, e.g. gpt-4o-2024-11-20</source>
        <translation>Span 中报告的模型名称，例如 gpt-4o-2024-11-20</translation>
    </message>
    <message>
        <source>Input tokens, cached ones included</source>
        <translation>输入 Token，含缓存的 Token</translation>
    </message>
    <message>
        <source>Of the input tokens, how many were read from the prompt cache</source>
        <translation>输入 Token 中有多少是从提示缓存读取的</translation>
    </message>
    <message>
        <source>Output tokens, reasoning included</source>
        <translation>输出 Token，含推理 Token</translation>
    </message>
    <message>
        <source>Of the output tokens, how many were reasoning</source>
        <translation>输出 Token 中有多少是推理 Token</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Input:</source>
        <translation>输入：</translation>
    </message>
    <message>
        <source>cached:</source>
        <translation>缓存：</translation>
    </message>
    <message>
        <source>Output:</source>
        <translation>输出：</translation>
    </message>
    <message>
        <source>reasoning:</source>
        <translation>推理：</translation>
    </message>
    <message>
        <source>Type a model name to see which row prices it and what a call with these token counts costs.</source>
        <translation>输入模型名称，查看由哪一行为其定价，以及使用这些 Token 数的一次调用的费用。</translation>
    </message>
    <message>
        <source>&lt;b&gt;No row prices “%1”.&lt;/b&gt; Its spans get no cost (shown as “no price”, never $0). Add a row to price it.</source>
        <translation>&lt;b&gt;没有为“%1”定价的行。&lt;/b&gt;其 Span 不计费用（显示为“无价格”，而不是 $0）。添加一行来为它定价。</translation>
    </message>
    <message>
        <source>your override</source>
        <translation>您的自定义行</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>Priced by row &lt;b&gt;%1&lt;/b&gt; (%2, as of %3) through its %4.</source>
        <translation>由行 &lt;b&gt;%1&lt;/b&gt;（%2，截至 %3）通过其%4定价。</translation>
    </message>
    <message>
        <source>%1 %2 × %3/M</source>
        <translation>%1 %2 × %3/百万</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>cached</source>
        <translation>缓存</translation>
    </message>
    <message>
        <source>cache write</source>
        <translation>缓存写入</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Cost: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>费用：&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>(long-context tier: more than %1 input tokens)</source>
        <translation>（长上下文档位：超过 %1 个输入 Token）</translation>
    </message>
    <message>
        <source>Spans priced by this row record &lt;code&gt;%1&lt;/code&gt;.</source>
        <translation>由此行定价的 Span 会记录 &lt;code&gt;%1&lt;/code&gt;。</translation>
    </message>
</context>
<context>
    <name>agentops::ui::PayloadView</name>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>No input or output was recorded for this span.</source>
        <translation>此 Span 没有记录输入或输出。</translation>
    </message>
    <message>
        <source>Arguments &amp;&amp; Result</source>
        <translation>参数和结果</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Input &amp;&amp; Output</source>
        <translation>输入和输出</translation>
    </message>
    <message>
        <source>Reading %1 of payload…</source>
        <translation>正在读取 %1 的载荷…</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>No result: the call failed.</source>
        <translation>无结果：调用失败。</translation>
    </message>
    <message>
        <source>No output: the span failed.</source>
        <translation>无输出：Span 失败。</translation>
    </message>
    <message>
        <source>Show all (%1)</source>
        <translation>全部显示（%1）</translation>
    </message>
    <message>
        <source>finish: %1</source>
        <translation>结束原因：%1</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Tool call</source>
        <translation>工具调用</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>工具结果</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>1 message</source>
        <translation>1 条消息</translation>
    </message>
    <message>
        <source>%1 messages</source>
        <translation>%1 条消息</translation>
    </message>
    <message>
        <source>INPUT</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>OUTPUT</source>
        <translation>输出</translation>
    </message>
</context>
<context>
    <name>agentops::ui::PriceEditorDialog</name>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Duplicate as override…</source>
        <translation>复制为自定义行…</translation>
    </message>
    <message>
        <source>Remove override</source>
        <translation>移除自定义行</translation>
    </message>
    <message>
        <source>Re-price stored traces…</source>
        <translation>重新计价已存储的链路…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Model prices</source>
        <translation>模型价格</translation>
    </message>
    <message>
        <source>&lt;b&gt;Your price overrides could not be read; the shipped prices are in use.&lt;/b&gt;&lt;br&gt;%1&lt;br&gt;Saving replaces the file with the rows shown here.</source>
        <translation>&lt;b&gt;无法读取您的自定义价格；当前使用内置价格。&lt;/b&gt;&lt;br&gt;%1&lt;br&gt;保存后，该文件将被此处显示的行替换。</translation>
    </message>
    <message>
        <source>Model calls are priced as they arrive, in USD per million tokens. Shipped rows come with the app; your rows replace a shipped row with the same id or price models it does not list, and win the names they share with it. Dimmed prices are not set by the row and fall back to the input (cache) or output (reasoning) price.</source>
        <translation>模型调用在到达时计价，单位为每百万 Token 的美元价格。内置行随应用提供；您的行会替换 ID 相同的内置行，或为内置表未列出的模型定价，并且在名称相同时优先。灰显的价格未在该行中设置，将回退为输入价格（缓存）或输出价格（推理）。</translation>
    </message>
    <message>
        <source>Your rows are saved in %1</source>
        <translation>您的行保存在 %1</translation>
    </message>
    <message>
        <source>Filter by id, provider or model name…</source>
        <translation>按 ID、提供商或模型名称筛选…</translation>
    </message>
    <message>
        <source>A new row of your own, for a model the shipped table does not price</source>
        <translation>为内置表未定价的模型新建一行自定义价格</translation>
    </message>
    <message>
        <source>Change your row, or override the selected shipped row with your own prices</source>
        <translation>修改您的行，或用自己的价格覆盖所选的内置行</translation>
    </message>
    <message>
        <source>A new row of your own with the selected row&apos;s prices, for other model names</source>
        <translation>以所选行的价格新建一行自定义价格，用于其他模型名称</translation>
    </message>
    <message>
        <source>Remove your row; a shipped row it replaced comes back. Shipped rows cannot be removed, only overridden.</source>
        <translation>移除您的行；被它替换的内置行将恢复。内置行无法移除，只能覆盖。</translation>
    </message>
    <message>
        <source>Override</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>Price the model calls already stored again with the saved prices; trace and dashboard costs follow</source>
        <translation>用已保存的价格重新为已存储的模型调用计价；链路和仪表板的费用随之更新</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Override…</source>
        <translation>覆盖…</translation>
    </message>
    <message>
        <source>No trace database is open</source>
        <translation>未打开链路数据库</translation>
    </message>
    <message>
        <source>Save the prices first: stored traces are re-priced with the saved prices</source>
        <translation>请先保存价格：已存储的链路将按已保存的价格重新计价</translation>
    </message>
    <message numerus="yes">
        <source>%1 rows: %2 shipped, %Ln of yours</source>
        <translation>
            <numerusform>%1 行：%2 行内置，%Ln 行自定义</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;unsaved changes&lt;/b&gt;</source>
        <translation>&lt;b&gt;有未保存的更改&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Add a price row</source>
        <translation>添加价格行</translation>
    </message>
    <message>
        <source>Edit “%1”</source>
        <translation>编辑“%1”</translation>
    </message>
    <message>
        <source>Override shipped row “%1”</source>
        <translation>覆盖内置行“%1”</translation>
    </message>
    <message>
        <source>New row from “%1”</source>
        <translation>基于“%1”新建行</translation>
    </message>
    <message>
        <source>The row cannot be added: %1</source>
        <translation>无法添加该行：%1</translation>
    </message>
    <message>
        <source>saved; new spans use these prices</source>
        <translation>已保存；新的 Span 将使用这些价格</translation>
    </message>
    <message>
        <source>Re-price stored traces?</source>
        <translation>重新计价已存储的链路？</translation>
    </message>
    <message>
        <source>New spans are priced with these prices from now on. The traces already stored keep the cost they were given when they arrived.</source>
        <translation>从现在起，新的 Span 将按这些价格计价。已存储的链路保留到达时计算的费用。</translation>
    </message>
    <message>
        <source>Re-pricing updates the cost of every stored model call and the totals of their traces and the dashboard. It can be stopped at any time.</source>
        <translation>重新计价会更新每个已存储模型调用的费用，以及相应链路和仪表板的合计。可随时停止。</translation>
    </message>
    <message>
        <source>Re-price stored traces</source>
        <translation>重新计价已存储的链路</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <source>Re-pricing stored model calls…</source>
        <translation>正在重新计价已存储的模型调用…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Re-pricing stored model calls… %1 of %2</source>
        <translation>正在重新计价已存储的模型调用… %1 / %2</translation>
    </message>
    <message numerus="yes">
        <source>re-pricing failed after %Ln changed span(s): %1</source>
        <translation>
            <numerusform>重新计价在更改 %Ln 个 Span 后失败：%1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>re-pricing stopped: %Ln span(s) re-priced, the others keep their cost</source>
        <translation>
            <numerusform>重新计价已停止：已重新计价 %Ln 个 Span，其余保留原费用</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>stored traces re-priced: %Ln span(s) changed</source>
        <translation>
            <numerusform>已存储的链路已重新计价：%Ln 个 Span 有变化</numerusform>
        </translation>
    </message>
    <message>
        <source>Save your changes to the model prices?</source>
        <translation>保存对模型价格的更改？</translation>
    </message>
</context>
<context>
    <name>agentops::ui::PriceRowDialog</name>
    <message>
        <source>unique, e.g. my-gpt-4o-deployment</source>
        <translation>唯一，例如 my-gpt-4o-deployment</translation>
    </message>
    <message>
        <source>exact names, comma-separated, e.g. gpt-4o, gpt-4o-2024-11-20</source>
        <translation>精确名称，以逗号分隔，例如 gpt-4o, gpt-4o-2024-11-20</translation>
    </message>
    <message>
        <source>globs with *, e.g. gpt-4o-20*, */gpt-4o</source>
        <translation>带 * 的通配模式，例如 gpt-4o-20*, */gpt-4o</translation>
    </message>
    <message>
        <source>When you last checked these prices against the provider&apos;s list</source>
        <translation>您上次对照提供商价目表核对这些价格的日期</translation>
    </message>
    <message>
        <source>optional: where the provider publishes these prices</source>
        <translation>可选：提供商公布这些价格的网址</translation>
    </message>
    <message>
        <source>optional: negotiated rate, region, …</source>
        <translation>可选：协议价格、区域等</translation>
    </message>
    <message>
        <source>Id:</source>
        <translation>ID：</translation>
    </message>
    <message>
        <source>Provider:</source>
        <translation>提供商：</translation>
    </message>
    <message>
        <source>Model names:</source>
        <translation>模型名称：</translation>
    </message>
    <message>
        <source>Patterns:</source>
        <translation>模式：</translation>
    </message>
    <message>
        <source>Prices (USD per million tokens)</source>
        <translation>价格（每百万 Token 的美元价格）</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Cached read</source>
        <translation>缓存读取</translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation>缓存写入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>= input</source>
        <translation>= 输入</translation>
    </message>
    <message>
        <source>= output</source>
        <translation>= 输出</translation>
    </message>
    <message>
        <source>Cached tokens are billed once, at their cache price; reasoning tokens at the reasoning price (the output price when empty).</source>
        <translation>缓存 Token 只按缓存价格计费一次；推理 Token 按推理价格计费（为空时按输出价格）。</translation>
    </message>
    <message>
        <source>Long-context tiers</source>
        <translation>长上下文档位</translation>
    </message>
    <message>
        <source>Above a number of input tokens (cached included), a tier&apos;s prices replace the base prices for the whole call; empty cells keep the base price.</source>
        <translation>输入 Token（含缓存）超过某个数量时，该档位的价格将替换整次调用的基础价格；空白单元格保留基础价格。</translation>
    </message>
    <message>
        <source>Above input tokens</source>
        <translation>输入 Token 超过</translation>
    </message>
    <message>
        <source>Add tier</source>
        <translation>添加档位</translation>
    </message>
    <message>
        <source>Remove tier</source>
        <translation>移除档位</translation>
    </message>
    <message>
        <source>As of:</source>
        <translation>截至：</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL：</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>An override keeps the id of the shipped row it replaces</source>
        <translation>自定义行保留其所替换的内置行的 ID</translation>
    </message>
    <message>
        <source>Replaces the shipped row “%1” (%2 input, %3 output, as of %4).</source>
        <translation>替换内置行“%1”（输入 %2，输出 %3，截至 %4）。</translation>
    </message>
    <message>
        <source>Input price</source>
        <translation>输入价格</translation>
    </message>
    <message>
        <source>Cached read price</source>
        <translation>缓存读取价格</translation>
    </message>
    <message>
        <source>Cache write price</source>
        <translation>缓存写入价格</translation>
    </message>
    <message>
        <source>Output price</source>
        <translation>输出价格</translation>
    </message>
    <message>
        <source>Reasoning price</source>
        <translation>推理价格</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供商</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>截至</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>Tier %1</source>
        <translation>档位 %1</translation>
    </message>
    <message>
        <source>Tier %1, above input tokens</source>
        <translation>档位 %1，输入 Token 超过</translation>
    </message>
    <message>
        <source>Tier %1 prices</source>
        <translation>档位 %1 的价格</translation>
    </message>
    <message>
        <source>Tier %1, %2</source>
        <translation>档位 %1，%2</translation>
    </message>
    <message>
        <source>Model names</source>
        <translation>模型名称</translation>
    </message>
    <message>
        <source>Patterns</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Id: “%1” is already the id of another of your rows</source>
        <translation>ID：“%1”已是您另一行的 ID</translation>
    </message>
    <message>
        <source>Model names: “%1” is already listed by your row “%2”</source>
        <translation>模型名称：“%1”已列在您的行“%2”中</translation>
    </message>
    <message>
        <source>Patterns: “%1” is already listed by your row “%2”</source>
        <translation>模式：“%1”已列在您的行“%2”中</translation>
    </message>
</context>
<context>
    <name>agentops::ui::PriceTableModel</name>
    <message>
        <source>above %1</source>
        <translation>超过 %1</translation>
    </message>
    <message numerus="yes">
        <source> (+%n more)</source>
        <translation>
            <numerusform> （另 %n 个）</numerusform>
        </translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>Override</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Spans priced by this row record “%1”.</source>
        <translation>由此行定价的 Span 会记录“%1”。</translation>
    </message>
    <message>
        <source>Prices published at %1</source>
        <translation>价格发布于 %1</translation>
    </message>
    <message>
        <source>Exact names:</source>
        <translation>精确名称：</translation>
    </message>
    <message>
        <source>Patterns (* = any characters):</source>
        <translation>模式（* = 任意字符）：</translation>
    </message>
    <message>
        <source>Not set: reasoning tokens are billed at the output price</source>
        <translation>未设置：推理 Token 按输出价格计费</translation>
    </message>
    <message>
        <source>Not set: billed at the input price</source>
        <translation>未设置：按输入价格计费</translation>
    </message>
    <message>
        <source>Comes with the app; override it to change its prices</source>
        <translation>随应用提供；如需更改价格，请覆盖它</translation>
    </message>
    <message>
        <source>Your row, in place of the shipped row with the same id</source>
        <translation>您的行，替代 ID 相同的内置行</translation>
    </message>
    <message>
        <source>Your row, added to the shipped table</source>
        <translation>您的行，添加到内置表中</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供商</translation>
    </message>
    <message>
        <source>Models / patterns</source>
        <translation>模型 / 模式</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Cached read</source>
        <translation>缓存读取</translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation>缓存写入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>档位</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>截至</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>USD per million tokens</source>
        <translation>每百万 Token 的美元价格</translation>
    </message>
</context>
<context>
    <name>agentops::ui::RedactionSettings</name>
    <message>
        <source>E-mail addresses</source>
        <translation>电子邮件地址</translation>
    </message>
    <message>
        <source>API keys (sk-…, AKIA…, ghp_…, xox…)</source>
        <translation>API 密钥（sk-…、AKIA…、ghp_…、xox…）</translation>
    </message>
    <message>
        <source>Bearer tokens</source>
        <translation>Bearer 令牌</translation>
    </message>
    <message>
        <source>JSON Web Tokens</source>
        <translation>JSON Web 令牌</translation>
    </message>
    <message>
        <source>Card numbers (Luhn-checked)</source>
        <translation>卡号（经 Luhn 校验）</translation>
    </message>
    <message>
        <source>Redact secrets and personal data before traces are stored</source>
        <translation>在存储追踪之前遮盖机密和个人数据</translation>
    </message>
    <message>
        <source>Add Rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>Remove Rule</source>
        <translation>删除规则</translation>
    </message>
    <message>
        <source>What matches is replaced by [REDACTED:&lt;rule&gt;] in every trace received from now on: prompts, completions, tool arguments and results, attributes, events, names and status messages. Traces already stored are not changed.</source>
        <translation>从现在起接收的每条追踪中，匹配的内容都会替换为 [REDACTED:&lt;rule&gt;]：提示、补全、工具参数和结果、属性、事件、名称和状态消息。已存储的追踪不会更改。</translation>
    </message>
    <message>
        <source>Built-in patterns</source>
        <translation>内置模式</translation>
    </message>
    <message>
        <source>Rules of your own</source>
        <translation>自定义规则</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Pattern (RE2)</source>
        <translation>模式（RE2）</translation>
    </message>
    <message>
        <source>Attribute keys</source>
        <translation>属性键</translation>
    </message>
    <message>
        <source>A pattern alone is replaced wherever it matches; with attribute keys (separated by commas) only in those attributes&apos; values. Keys without a pattern replace those attributes&apos; whole values.</source>
        <translation>仅有模式时，凡匹配处都会被替换；指定属性键（以逗号分隔）时，只在这些属性的值中替换。没有模式的键会替换这些属性的整个值。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Nothing redacted since AgentOps Monitor started.</source>
        <translation>自 AgentOps Monitor 启动以来未遮盖任何内容。</translation>
    </message>
    <message>
        <source>Redacted since AgentOps Monitor started — %1</source>
        <translation>自 AgentOps Monitor 启动以来已遮盖 — %1</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SessionListModel</name>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Last active</source>
        <translation>最近活动</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Traces</source>
        <translation>链路</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>Span</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SessionsPage</name>
    <message>
        <source>Select a session to see its traces</source>
        <translation>选择一个会话以查看其链路</translation>
    </message>
    <message>
        <source>Session %1 — 1 trace</source>
        <translation>会话 %1 — 1 条链路</translation>
    </message>
    <message>
        <source>Session %1 — %2 traces, oldest first</source>
        <translation>会话 %1 — %2 条链路，最早的在前</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>127.0.0.1 accepts only this computer; 0.0.0.0 accepts the whole network, without authentication.</source>
        <translation>127.0.0.1 只接受本机连接；0.0.0.0 接受整个网络的连接，且不做身份验证。</translation>
    </message>
    <message>
        <source>Embedded receiver</source>
        <translation>内置接收器</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>存储</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>数据库：</translation>
    </message>
    <message>
        <source>Exporters send to: &lt;b&gt;http://%1:%2/v1/traces&lt;/b&gt;</source>
        <translation>导出器发送到：&lt;b&gt;http://%1:%2/v1/traces&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Receiving is off; stored traces stay available.</source>
        <translation>接收已关闭；已存储的链路仍可查看。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>A new language takes effect the next time AgentOps Monitor starts.</source>
        <translation>新语言将在下次启动 AgentOps Monitor 时生效。</translation>
    </message>
    <message>
        <source>Interface language:</source>
        <translation>界面语言：</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>System (follow the desktop)</source>
        <translation>系统（跟随桌面）</translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <source>Receive traces from agents on this computer</source>
        <translation>接收本机上智能体发送的链路</translation>
    </message>
    <message>
        <source>OTLP/gRPC port:</source>
        <translation>OTLP/gRPC 端口：</translation>
    </message>
    <message>
        <source>Also receive OTLP/gRPC (OTEL_EXPORTER_OTLP_PROTOCOL=grpc) on the same address.</source>
        <translation>同时在同一地址上接收 OTLP/gRPC（OTEL_EXPORTER_OTLP_PROTOCOL=grpc）。</translation>
    </message>
    <message>
        <source>OTLP/HTTP port:</source>
        <translation>OTLP/HTTP 端口：</translation>
    </message>
    <message>
        <source>OTLP/HTTP and OTLP/gRPC need ports of their own.</source>
        <translation>OTLP/HTTP 和 OTLP/gRPC 需要使用各自的端口。</translation>
    </message>
    <message>
        <source>Exporters send to &lt;b&gt;http://%1:%2/v1/traces&lt;/b&gt; (OTLP/HTTP)&lt;br&gt;or &lt;b&gt;http://%1:%3&lt;/b&gt; (OTLP/gRPC)</source>
        <translation>导出器发送到 &lt;b&gt;http://%1:%2/v1/traces&lt;/b&gt;（OTLP/HTTP）&lt;br&gt;或 &lt;b&gt;http://%1:%3&lt;/b&gt;（OTLP/gRPC）</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>常规(&amp;G)</translation>
    </message>
    <message>
        <source>A&amp;lerts</source>
        <translation>告警(&amp;L)</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>Keep all</source>
        <translation>全部保留</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Traces that started longer ago than this are deleted, whole (hourly).</source>
        <translation>开始时间早于此的追踪将被整体删除（每小时一次）。</translation>
    </message>
    <message>
        <source>Delete traces older than:</source>
        <translation>删除早于此时间的追踪：</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>Redaction</source>
        <translation>遮盖</translation>
    </message>
    <message>
        <source>Not measured yet</source>
        <translation>尚未测量</translation>
    </message>
    <message>
        <source>%1 (database %2, search index %3)</source>
        <translation>%1（数据库 %2，搜索索引 %3）</translation>
    </message>
    <message>
        <source>%1; %2 free on its disk</source>
        <translation>%1；所在磁盘可用 %2</translation>
    </message>
    <message>
        <source>Counted: the database, its logs and the search index&apos;s share of the traces. Above this size the oldest traces are deleted, whole, until what is counted is below 90 % of it; the space they took is reused for new traces (the files do not shrink).</source>
        <translation>计入：数据库、其日志以及搜索索引中属于这些追踪的部分。超过此大小时，将整条删除最旧的追踪，直到计入的量低于其 90 %；它们占用的空间会被新追踪重复使用（文件不会缩小）。</translation>
    </message>
    <message>
        <source>Keep the files within:</source>
        <translation>文件上限：</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ShortcutsDialog</name>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SignInDialog</name>
    <message>
        <source>Email and password</source>
        <translation>邮箱和密码</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>&amp;Project:</source>
        <translation>项目(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Sign In</source>
        <translation>登录(&amp;S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Work &amp;Offline</source>
        <translation>离线工作(&amp;O)</translation>
    </message>
    <message>
        <source>Sign In to a Team Server</source>
        <translation>登录团队服务器</translation>
    </message>
    <message>
        <source>Sign in to an AgentOps server to read your team&apos;s traces. The sign-in is kept in the system keychain.</source>
        <translation>登录 AgentOps 服务器以查看团队的链路。登录信息保存在系统密钥环中。</translation>
    </message>
    <message>
        <source>https://agentops.example.com</source>
        <translation>https://agentops.example.com</translation>
    </message>
    <message>
        <source>you@example.com</source>
        <translation>you@example.com</translation>
    </message>
    <message>
        <source>Paste the key shown when it was created</source>
        <translation>粘贴创建时显示的密钥</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>邮箱(&amp;E)：</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>密码(&amp;W)：</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose the CA certificate file</source>
        <translation>选择 CA 证书文件</translation>
    </message>
    <message>
        <source>Se&amp;rver:</source>
        <translation>服务器(&amp;R)：</translation>
    </message>
    <message>
        <source>Sign in with:</source>
        <translation>登录方式：</translation>
    </message>
    <message>
        <source>&amp;CA file:</source>
        <translation>CA 文件(&amp;C)：</translation>
    </message>
    <message>
        <source>Close and keep using the traces stored on this computer</source>
        <translation>关闭，继续使用本机存储的链路</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, e.g. https://agentops.example.com.</source>
        <translation>请输入服务器地址，例如 https://agentops.example.com。</translation>
    </message>
    <message>
        <source>“%1” is not a server address: it must start with https:// (or http://).</source>
        <translation>“%1”不是服务器地址：必须以 https://（或 http://）开头。</translation>
    </message>
    <message>
        <source>“%1” names no host.</source>
        <translation>“%1”未指定主机。</translation>
    </message>
    <message>
        <source>“%1” is not a valid server address.</source>
        <translation>“%1”不是有效的服务器地址。</translation>
    </message>
    <message>
        <source>⚠ Plain http: the password and the session token cross the network unencrypted. Use https unless the network is trusted.</source>
        <translation>⚠ 明文 http：密码和会话令牌将以未加密的形式在网络上传输。除非网络可信，否则请使用 https。</translation>
    </message>
    <message>
        <source>CA Certificate</source>
        <translation>CA 证书</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Signing In…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>继续(&amp;C)</translation>
    </message>
    <message>
        <source>Enter the API key.</source>
        <translation>请输入 API 密钥。</translation>
    </message>
    <message>
        <source>Enter your email address.</source>
        <translation>请输入您的邮箱地址。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入您的密码。</translation>
    </message>
    <message>
        <source>The CA file %1 cannot be read.</source>
        <translation>无法读取 CA 文件 %1。</translation>
    </message>
    <message>
        <source>Sign-in cancelled.</source>
        <translation>登录已取消。</translation>
    </message>
    <message>
        <source>The server did not accept this API key (wrong, revoked or expired).</source>
        <translation>服务器不接受此 API 密钥（错误、已撤销或已过期）。</translation>
    </message>
    <message>
        <source>Wrong email or password.</source>
        <translation>邮箱或密码错误。</translation>
    </message>
    <message>
        <source>This account may not use the server: %1</source>
        <translation>此账户无权使用该服务器：%1</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted (%1). If the server uses a private certificate authority, choose its CA file.</source>
        <translation>服务器证书不受信任（%1）。如果服务器使用私有证书颁发机构，请选择其 CA 文件。</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>无法连接 %1：%2</translation>
    </message>
    <message>
        <source>The server reported an error: %1</source>
        <translation>服务器报告错误：%1</translation>
    </message>
    <message>
        <source>Sign-in failed: %1</source>
        <translation>登录失败：%1</translation>
    </message>
    <message>
        <source>Signed in. This account has %1 projects: choose the one to show.</source>
        <translation>已登录。此账户有 %1 个项目：请选择要显示的项目。</translation>
    </message>
    <message>
        <source>Optional: CA certificate (PEM) of a private CA</source>
        <translation>可选：私有 CA 的 CA 证书（PEM）</translation>
    </message>
    <message>
        <source>&amp;Remove Server…</source>
        <translation>删除服务器(&amp;R)…</translation>
    </message>
    <message>
        <source>Forget this server and delete its sign-in from the keychain</source>
        <translation>忘记此服务器并从密钥环中删除其登录信息</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SourceController</name>
    <message>
        <source>Where the traces come from: this computer or a team server</source>
        <translation>链路的来源：本机或团队服务器</translation>
    </message>
    <message>
        <source>Your session on %1 has ended. Sign in again to go on where you were.</source>
        <translation>您在 %1 上的会话已结束。请重新登录以继续之前的操作。</translation>
    </message>
    <message>
        <source>Showing the traces stored on this computer</source>
        <translation>正在显示本机存储的链路</translation>
    </message>
    <message>
        <source>Signing in to %1…</source>
        <translation>正在登录 %1…</translation>
    </message>
    <message>
        <source>Sign in to %1.</source>
        <translation>登录 %1。</translation>
    </message>
    <message>
        <source>The saved sign-in for %1 could not be read from the keychain (%2). Sign in again.</source>
        <translation>无法从密钥环读取 %1 的已保存登录信息（%2）。请重新登录。</translation>
    </message>
    <message>
        <source>Signed in to %1</source>
        <translation>已登录 %1</translation>
    </message>
    <message>
        <source>The saved sign-in for %1 is no longer valid. Sign in again.</source>
        <translation>%1 的已保存登录信息已失效。请重新登录。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Signed in to %1, but the keychain could not keep the sign-in: %2</source>
        <translation>已登录 %1，但密钥环无法保存登录信息：%2</translation>
    </message>
    <message>
        <source>Signed out of %1</source>
        <translation>已从 %1 登出</translation>
    </message>
    <message>
        <source>Local (this computer)</source>
        <translation>本地（本机）</translation>
    </message>
    <message>
        <source>%1 (API key)</source>
        <translation>%1（API 密钥）</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>&amp;Add Server…</source>
        <translation>添加服务器(&amp;A)…</translation>
    </message>
    <message>
        <source>Sign &amp;Out</source>
        <translation>登出(&amp;O)</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>本地</translation>
    </message>
    <message>
        <source>Remove Server</source>
        <translation>删除服务器</translation>
    </message>
    <message>
        <source>Remove %1 (%2) from the saved servers?</source>
        <translation>要从已保存的服务器中删除 %1（%2）吗？</translation>
    </message>
    <message>
        <source>Its sign-in is deleted from the system keychain. The traces stay on the server; sign in again to see them.</source>
        <translation>其登录信息将从系统密钥环中删除。链路仍保留在服务器上；重新登录即可查看。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Removed %1 and its saved sign-in</source>
        <translation>已删除 %1 及其已保存的登录信息</translation>
    </message>
    <message>
        <source>Removed %1, but its sign-in could not be deleted from the keychain: %2</source>
        <translation>已删除 %1，但无法从密钥环中删除其登录信息：%2</translation>
    </message>
    <message>
        <source>&amp;Remove Server</source>
        <translation>删除服务器(&amp;R)</translation>
    </message>
    <message>
        <source>%1 (API key)…</source>
        <translation>%1（API 密钥）…</translation>
    </message>
    <message>
        <source>%1 (%2)…</source>
        <translation>%1（%2）…</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SpanDetailsView</name>
    <message>
        <source>Agent</source>
        <translation>智能体</translation>
    </message>
    <message>
        <source>LLM</source>
        <translation>LLM</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>链</translation>
    </message>
    <message>
        <source>Retriever</source>
        <translation>检索器</translation>
    </message>
    <message>
        <source>Embedding</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>Guardrail</source>
        <translation>护栏</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>评估器</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>Span</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy %1</source>
        <translation>复制%1</translation>
    </message>
    <message>
        <source>Select a span to see its details.</source>
        <translation>选择一个 Span 以查看其详情。</translation>
    </message>
    <message>
        <source>No resource attributes</source>
        <translation>无资源属性</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>资源</translation>
    </message>
    <message>
        <source>Attributes (%1)</source>
        <translation>属性（%1）</translation>
    </message>
    <message>
        <source>Events (%1)</source>
        <translation>事件（%1）</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Unset</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>The span ended with an error status and no message.</source>
        <translation>该 Span 以错误状态结束，且没有消息。</translation>
    </message>
    <message>
        <source>Timing</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Responded</source>
        <translation>响应</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供商</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>of which cache read</source>
        <translation>其中缓存读取</translation>
    </message>
    <message>
        <source>of which cache write</source>
        <translation>其中缓存写入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>of which reasoning</source>
        <translation>其中推理</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>No price is known for this model, so no cost is counted.</source>
        <translation>此模型的价格未知，因此不计费用。</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>作用域</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Identifiers</source>
        <translation>标识符</translation>
    </message>
    <message>
        <source>Trace ID</source>
        <translation>Trace ID</translation>
    </message>
    <message>
        <source>Span ID</source>
        <translation>Span ID</translation>
    </message>
    <message>
        <source>Parent ID</source>
        <translation>父级 ID</translation>
    </message>
    <message>
        <source>Links</source>
        <translation>链接</translation>
    </message>
    <message>
        <source>1 linked span</source>
        <translation>1 个关联的 Span</translation>
    </message>
    <message>
        <source>%1 linked spans</source>
        <translation>%1 个关联的 Span</translation>
    </message>
    <message>
        <source>Dropped</source>
        <translation>已丢弃</translation>
    </message>
    <message>
        <source>%1 attributes, %2 events, %3 links</source>
        <translation>%1 个属性，%2 个事件，%3 个链接</translation>
    </message>
    <message>
        <source>No events were recorded for this span.</source>
        <translation>此 Span 没有记录事件。</translation>
    </message>
    <message>
        <source>the sum of the model calls below; counted once, on them</source>
        <translation>下方模型调用的总和；只在各调用上计数一次</translation>
    </message>
    <message>
        <source>This span repeats the usage of the model calls it contains. Trace, session and dashboard totals count each call once, on the call&apos;s own span.</source>
        <translation>此 span 重复了其所含模型调用的用量。追踪、会话和仪表板的总计只在每个调用自己的 span 上计数一次。</translation>
    </message>
    <message>
        <source>$%1, as reported by the producer</source>
        <translation>$%1，由生产方上报</translation>
    </message>
    <message>
        <source>$%1, priced by %2</source>
        <translation>$%1，按 %2 计价</translation>
    </message>
</context>
<context>
    <name>agentops::ui::StepDiffModel</name>
    <message>
        <source>same</source>
        <translation>相同</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>已更改</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Run A</source>
        <translation>运行 A</translation>
    </message>
    <message>
        <source>Run B</source>
        <translation>运行 B</translation>
    </message>
    <message>
        <source>Δ Duration</source>
        <translation>Δ 时长</translation>
    </message>
    <message>
        <source>Δ Tokens</source>
        <translation>Δ Token</translation>
    </message>
    <message>
        <source>Δ Cost</source>
        <translation>Δ 费用</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>更改项</translation>
    </message>
    <message>
        <source>The sum of the calls below; counted once, on them</source>
        <translation>其下调用的总和；只在这些调用上计一次</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TimeRange</name>
    <message>
        <source>Last 15 minutes</source>
        <translation>最近 15 分钟</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>自定义…</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TimeRangeSelector</name>
    <message>
        <source>Time range of the trace start, shared by the Dashboard and the Traces page</source>
        <translation>链路开始时间的范围（仪表盘与链路页面共用）</translation>
    </message>
    <message>
        <source>From (trace start)</source>
        <translation>从（链路开始时间）</translation>
    </message>
    <message>
        <source>To (trace start, exclusive)</source>
        <translation>到（链路开始时间，不含）</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceEraser</name>
    <message>
        <source>Everything it holds (spans, prompts, responses, attributes) is deleted from the local database, its write-ahead log and the search index, and the dashboard&apos;s totals no longer count it. This cannot be undone; a backup made earlier still holds it.</source>
        <translation>其中的所有内容（span、提示、响应、属性）都会从本地数据库、其预写日志和搜索索引中删除，仪表板的合计也不再计入。此操作无法撤销；之前创建的备份仍然包含这些内容。</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Could not erase: %1</source>
        <translation>无法清除：%1</translation>
    </message>
    <message>
        <source>Nothing to erase: the traces were already gone</source>
        <translation>没有可清除的内容：这些追踪已不存在</translation>
    </message>
    <message>
        <source>Erased 1 trace (%1 spans)</source>
        <translation>已清除 1 个追踪（%1 个 span）</translation>
    </message>
    <message>
        <source>Erased %1 traces (%2 spans)</source>
        <translation>已清除 %1 个追踪（%2 个 span）</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceFileImporter</name>
    <message>
        <source>Import Traces</source>
        <translation>导入链路</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <source>Importing %1 files…</source>
        <translation>正在导入 %1 个文件…</translation>
    </message>
    <message>
        <source>Import cancelled; %1 spans were imported before.</source>
        <translation>导入已取消；此前已导入 %1 个 Span。</translation>
    </message>
    <message>
        <source>%1 spans from the other files were imported.</source>
        <translation>已从其他文件导入 %1 个 Span。</translation>
    </message>
    <message>
        <source>Import Failed</source>
        <translation>导入失败</translation>
    </message>
    <message>
        <source>Could not import a trace file.</source>
        <translation>无法导入链路文件。</translation>
    </message>
    <message>
        <source>Could not import some trace files.</source>
        <translation>部分链路文件无法导入。</translation>
    </message>
    <message>
        <source>Import Finished</source>
        <translation>导入完成</translation>
    </message>
    <message>
        <source>%1 spans were imported; some parts of the files were left out.</source>
        <translation>已导入 %1 个 Span；文件中的部分内容被略过。</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceFilterBar</name>
    <message>
        <source>Errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <source>All services</source>
        <translation>所有服务</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>所有模型</translation>
    </message>
    <message>
        <source>≥ </source>
        <translation>≥ </translation>
    </message>
    <message>
        <source>Any duration</source>
        <translation>任意时长</translation>
    </message>
    <message>
        <source>Minimum trace duration</source>
        <translation>链路最短时长</translation>
    </message>
    <message>
        <source>Only the traces of the dashboard bucket you chose; click to show the whole time range again</source>
        <translation>仅显示所选仪表盘时间段的链路；点击可重新显示整个时间范围</translation>
    </message>
    <message>
        <source>Only %1 – %2</source>
        <translation>仅 %1 – %2</translation>
    </message>
    <message>
        <source>service %1</source>
        <translation>服务 %1</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>模型 %1</translation>
    </message>
    <message>
        <source>at least %1</source>
        <translation>至少 %1</translation>
    </message>
    <message>
        <source>errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <source>Search: text, tool:name, status:error…</source>
        <translation>搜索：文本、tool:名称、status:error…</translation>
    </message>
    <message>
        <source>Finds traces by what their spans say: prompts, completions, tool arguments and results, errors, attributes (any case, any part of a word, at least 3 characters).
&quot;a phrase&quot;   a AND b   a OR b   NOT a   -a   ( )
tool:get_weather   model:gpt-4o   name:…   kind:llm   status:error   session:ID</source>
        <translation>按 span 的内容查找 trace：提示词、回复、工具参数与结果、错误、属性（不区分大小写，可匹配词的一部分，至少 3 个字符）。
&quot;短语&quot;   a AND b   a OR b   NOT a   -a   ( )
tool:get_weather   model:gpt-4o   name:…   kind:llm   status:error   session:ID</translation>
    </message>
    <message>
        <source>matching “%1”</source>
        <translation>匹配“%1”</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceListPage</name>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Show all time</source>
        <translation>显示全部时间</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>the dashboard bucket</source>
        <translation>仪表盘时间段</translation>
    </message>
    <message>
        <source>1 imported trace is outside the time range (%1).</source>
        <translation>1 条导入的链路不在时间范围（%1）内。</translation>
    </message>
    <message>
        <source>%1 imported traces are outside the time range (%2).</source>
        <translation>%1 条导入的链路不在时间范围（%2）内。</translation>
    </message>
    <message>
        <source>No traces match the filters</source>
        <translation>没有符合筛选条件的链路</translation>
    </message>
    <message>
        <source>The search cannot be run</source>
        <translation>无法执行此搜索</translation>
    </message>
    <message>
        <source>A word of one or two characters is looked for in trace names only; spans are searched for three or more (東京の, not 東京).</source>
        <translation>一两个字符的词只在 trace 名称中查找；三个字符及以上才会搜索 span 内容（用 東京の，而不是 東京）。</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceRankModel</name>
    <message>
        <source>(unnamed)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>Double-click to open the trace</source>
        <translation>双击打开该链路</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>链路</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceTableModel</name>
    <message>
        <source>(unnamed)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>%1
Trace %2</source>
        <translation>%1
链路 %2</translation>
    </message>
    <message>
        <source>Input %1 · output %2 · cache read %3 · reasoning %4</source>
        <translation>输入 %1 · 输出 %2 · 缓存读取 %3 · 推理 %4</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>Span</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>匹配处</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceViewPage</name>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>No trace open</source>
        <translation>未打开链路</translation>
    </message>
    <message>
        <source>Cannot load the trace</source>
        <translation>无法加载该链路</translation>
    </message>
    <message>
        <source>Loading trace…</source>
        <translation>正在加载链路…</translation>
    </message>
    <message>
        <source>Trace not found</source>
        <translation>未找到链路</translation>
    </message>
    <message>
        <source>(unnamed trace)</source>
        <translation>（未命名链路）</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>Span</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Back to the page the trace was opened from (Esc, Alt+Left)</source>
        <translation>返回打开此链路的页面（Esc、Alt+Left）</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>链路</translation>
    </message>
</context>
<context>
    <name>agentops::ui::WaterfallDelegate</name>
    <message>
        <source>parent missing</source>
        <translation>缺少父级</translation>
    </message>
</context>
<context>
    <name>agentops::ui::WaterfallMinimap</name>
    <message>
        <source>1 span</source>
        <translation>1 个 Span</translation>
    </message>
    <message>
        <source>%1 spans</source>
        <translation>%1 个 Span</translation>
    </message>
    <message>
        <source>1 error</source>
        <translation>1 个错误</translation>
    </message>
    <message>
        <source>%1 errors</source>
        <translation>%1 个错误</translation>
    </message>
</context>
<context>
    <name>agentops::ui::WaterfallModel</name>
    <message>
        <source>agent</source>
        <translation>智能体</translation>
    </message>
    <message>
        <source>LLM</source>
        <translation>LLM</translation>
    </message>
    <message>
        <source>tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>chain</source>
        <translation>链</translation>
    </message>
    <message>
        <source>retriever</source>
        <translation>检索器</translation>
    </message>
    <message>
        <source>embedding</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>guardrail</source>
        <translation>护栏</translation>
    </message>
    <message>
        <source>evaluator</source>
        <translation>评估器</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>Span</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Starts at</source>
        <translation>开始于</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供商</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation>输入 %1 · 输出 %2</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>unset</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>父级</translation>
    </message>
    <message>
        <source>missing from the trace</source>
        <translation>链路中缺失</translation>
    </message>
    <message>
        <source>Critical path</source>
        <translation>关键路径</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
</context>
<context>
    <name>agentops::ui::WaterfallView</name>
    <message>
        <source>Critical path</source>
        <translation>关键路径</translation>
    </message>
    <message>
        <source>Highlight the spans that determined the trace&apos;s duration</source>
        <translation>突出显示决定链路时长的 Span</translation>
    </message>
    <message>
        <source>Expand all</source>
        <translation>全部展开</translation>
    </message>
    <message>
        <source>Expand all spans (Ctrl+E)</source>
        <translation>展开所有 Span（Ctrl+E）</translation>
    </message>
    <message>
        <source>Collapse all</source>
        <translation>全部折叠</translation>
    </message>
    <message>
        <source>Collapse all spans (Ctrl+Shift+E)</source>
        <translation>折叠所有 Span（Ctrl+Shift+E）</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>重置缩放</translation>
    </message>
    <message>
        <source>Show the whole trace (Ctrl+0, Esc, or double-click the time line)</source>
        <translation>显示整条链路（Ctrl+0、Esc，或双击时间轴）</translation>
    </message>
    <message>
        <source>Highlight Critical Path</source>
        <translation>突出显示关键路径</translation>
    </message>
    <message>
        <source>Loading %1 spans…</source>
        <translation>正在加载 %1 个 Span…</translation>
    </message>
    <message>
        <source>No trace selected</source>
        <translation>未选择链路</translation>
    </message>
    <message>
        <source>No spans match “%1”</source>
        <translation>没有与“%1”匹配的 Span</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>无匹配</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1 个匹配</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <translation>%1 个匹配</translation>
    </message>
    <message>
        <source>Zoom to Span</source>
        <translation>缩放到 Span</translation>
    </message>
    <message>
        <source>Expand Subtree</source>
        <translation>展开子树</translation>
    </message>
    <message>
        <source>Collapse Subtree</source>
        <translation>折叠子树</translation>
    </message>
    <message>
        <source>Expand All</source>
        <translation>全部展开</translation>
    </message>
    <message>
        <source>Collapse All</source>
        <translation>全部折叠</translation>
    </message>
    <message>
        <source>Reset Zoom</source>
        <translation>重置缩放</translation>
    </message>
    <message>
        <source>Search spans</source>
        <translation>搜索 Span</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>下一个匹配</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>上一个匹配</translation>
    </message>
    <message>
        <source>Expand all spans</source>
        <translation>展开所有 Span</translation>
    </message>
    <message>
        <source>Collapse all spans</source>
        <translation>折叠所有 Span</translation>
    </message>
    <message>
        <source>Zoom in on the time line</source>
        <translation>放大时间轴</translation>
    </message>
    <message>
        <source>Zoom out of the time line</source>
        <translation>缩小时间轴</translation>
    </message>
    <message>
        <source>Show the whole trace (reset zoom)</source>
        <translation>显示整个链路（重置缩放）</translation>
    </message>
    <message>
        <source>Finds spans by name, kind, model, tool, agent, service or error message as you type.
Enter or F3: next match · Shift+Enter or Shift+F3: previous · Esc: clear</source>
        <translation>输入时按名称、类型、模型、工具、智能体、服务或错误消息查找 Span。
Enter 或 F3：下一个匹配 · Shift+Enter 或 Shift+F3：上一个 · Esc：清除</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter, Shift+F3)</source>
        <translation>上一个匹配（Shift+Enter、Shift+F3）</translation>
    </message>
    <message>
        <source>Next match (Enter, F3)</source>
        <translation>下一个匹配（Enter、F3）</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Search spans  Ctrl+F</source>
        <translation>搜索 Span  Ctrl+F</translation>
    </message>
</context>
<context>
    <name>agentops::ui::format</name>
    <message>
        <source>%1 µs</source>
        <translation>%1 µs</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 ns</source>
        <translation>%1 ns</translation>
    </message>
    <message>
        <source>%1h</source>
        <translation>%1h</translation>
    </message>
    <message>
        <source>%1m</source>
        <translation>%1m</translation>
    </message>
    <message>
        <source>%1s</source>
        <translation>%1s</translation>
    </message>
    <message numerus="yes">
        <source>Not included: %Ln span(s) that used tokens of a model without a known price.</source>
        <translation>
            <numerusform>未包含：%Ln 个使用了未知价格模型 token 的 span。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No price is known for the models of the %Ln span(s) that used tokens.</source>
        <translation>
            <numerusform>使用 token 的 %Ln 个 span 所用模型均无已知价格。</numerusform>
        </translation>
    </message>
    <message>
        <source>no price</source>
        <translation>无价格</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Debug AI agents: receive OpenTelemetry traces and explore them.</source>
        <translation>调试 AI 智能体：接收并浏览 OpenTelemetry 链路。</translation>
    </message>
    <message>
        <source>Trace database to open (default: %1).</source>
        <translation>要打开的链路数据库（默认：%1）。</translation>
    </message>
    <message>
        <source>Receive OTLP on this port (this run only).</source>
        <translation>在此端口接收 OTLP（仅本次运行）。</translation>
    </message>
    <message>
        <source>Do not receive traces (this run only).</source>
        <translation>不接收链路（仅本次运行）。</translation>
    </message>
    <message>
        <source>Log every request of the receiver to stderr.</source>
        <translation>将接收器的每个请求记录到 stderr。</translation>
    </message>
    <message>
        <source>Trace files to import (OTLP JSON, JSON lines, protobuf).</source>
        <translation>要导入的链路文件（OTLP JSON、JSON Lines、protobuf）。</translation>
    </message>
    <message>
        <source>AgentOps Monitor</source>
        <translation>AgentOps Monitor</translation>
    </message>
    <message>
        <source>Check the installation: receive one OTLP request on a free port into a temporary database, check that it is stored and listed, and exit (0: passed).</source>
        <translation>检查安装：在空闲端口上接收一个 OTLP 请求并存入临时数据库，检查其已存储并列出，然后退出（0：通过）。</translation>
    </message>
    <message>
        <source>Receive OTLP/gRPC on this port (this run only).</source>
        <translation>在此端口接收 OTLP/gRPC（仅本次运行）。</translation>
    </message>
</context>
</TS>
