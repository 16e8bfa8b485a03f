<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP" sourcelanguage="en">
<context>
    <name>AlertFormat</name>
    <message>
        <source>%1 h</source>
        <translation>%1 時間</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>エラー率</translation>
    </message>
    <message>
        <source>Cost per hour</source>
        <translation>1 時間あたりのコスト</translation>
    </message>
    <message>
        <source>Cost per day</source>
        <translation>1 日あたりのコスト</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>p95 レイテンシ</translation>
    </message>
    <message>
        <source>No traffic</source>
        <translation>トラフィックなし</translation>
    </message>
    <message>
        <source>All traffic</source>
        <translation>すべてのトラフィック</translation>
    </message>
    <message>
        <source>Service %1</source>
        <translation>サービス %1</translation>
    </message>
    <message>
        <source>Agent %1</source>
        <translation>エージェント %1</translation>
    </message>
    <message>
        <source>Model %1</source>
        <translation>モデル %1</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>$%1/h</source>
        <translation>$%1/時</translation>
    </message>
    <message>
        <source>$%1/day</source>
        <translation>$%1/日</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>1 span</source>
        <translation>1 スパン</translation>
    </message>
    <message>
        <source>%1 spans</source>
        <translation>%1 スパン</translation>
    </message>
    <message>
        <source>No spans for %1</source>
        <translation>%1 スパンなし</translation>
    </message>
    <message>
        <source>At most %1 in %2</source>
        <translation>%2 で最大 %1</translation>
    </message>
    <message>
        <source>%1 above %2 over %3</source>
        <translation>%3 の %1 が %2 超</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>無効</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Not evaluated yet</source>
        <translation>未評価</translation>
    </message>
    <message>
        <source>Pending since %1</source>
        <translation>%1 から保留中</translation>
    </message>
    <message>
        <source>Firing since %1 (%2)</source>
        <translation>%1 から発報中 (%2)</translation>
    </message>
    <message>
        <source>Alert: %1</source>
        <translation>アラート: %1</translation>
    </message>
    <message>
        <source>Resolved: %1</source>
        <translation>解決: %1</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>データなし</translation>
    </message>
    <message>
        <source>%1: %2 in the last %3 (at most %4)</source>
        <translation>%1: 直近 %3 で %2 (最大 %4)</translation>
    </message>
    <message>
        <source>%1: %2 %3 over %4 (threshold %5)</source>
        <translation>%1: %4 の %2 %3 (しきい値 %5)</translation>
    </message>
</context>
<context>
    <name>LocalSource</name>
    <message>
        <source>Local</source>
        <translation>ローカル</translation>
    </message>
</context>
<context>
    <name>PriceFormat</name>
    <message>
        <source>in %1</source>
        <translation>入力 %1</translation>
    </message>
    <message>
        <source>cached %1</source>
        <translation>キャッシュ %1</translation>
    </message>
    <message>
        <source>write %1</source>
        <translation>キャッシュ書き込み %1</translation>
    </message>
    <message>
        <source>out %1</source>
        <translation>出力 %1</translation>
    </message>
    <message>
        <source>reasoning %1</source>
        <translation>推論 %1</translation>
    </message>
    <message>
        <source>above %1: %2</source>
        <translation>%1 超: %2</translation>
    </message>
    <message>
        <source>exact name “%1”</source>
        <translation>完全一致の名前「%1」</translation>
    </message>
    <message>
        <source>pattern “%1”</source>
        <translation>パターン「%1」</translation>
    </message>
</context>
<context>
    <name>PriceOverrides</name>
    <message>
        <source>Cannot read the price overrides %1: %2</source>
        <translation>独自価格 %1 を読み込めません: %2</translation>
    </message>
    <message>
        <source>The price overrides in %1 are not valid: %2</source>
        <translation>%1 の独自価格が不正です: %2</translation>
    </message>
    <message>
        <source>Cannot create the folder %1</source>
        <translation>フォルダー %1 を作成できません</translation>
    </message>
    <message>
        <source>Cannot write the price overrides %1: %2</source>
        <translation>独自価格 %1 を書き込めません: %2</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>Light</source>
        <translation>ライト</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>ダーク</translation>
    </message>
    <message>
        <source>System</source>
        <translation>システム</translation>
    </message>
</context>
<context>
    <name>TraceFiles</name>
    <message>
        <source>Export Failed</source>
        <translation>エクスポートに失敗しました</translation>
    </message>
    <message>
        <source>Could not export to %1:
%2</source>
        <translation>%1 にエクスポートできませんでした:
%2</translation>
    </message>
</context>
<context>
    <name>agentops::client::CredentialStore</name>
    <message>
        <source>No keychain is available to keep the sign-in (a Secret Service such as GNOME Keyring or KWallet must be running): %1</source>
        <translation>サインイン情報を保存するキーチェーンがありません（GNOME Keyring や KWallet などの Secret Service が動作している必要があります）: %1</translation>
    </message>
    <message>
        <source>The keychain is locked or refused access: %1</source>
        <translation>キーチェーンがロックされているか、アクセスを拒否しました: %1</translation>
    </message>
    <message>
        <source>The keychain reported an error: %1</source>
        <translation>キーチェーンがエラーを報告しました: %1</translation>
    </message>
</context>
<context>
    <name>agentops::client::LocalBackend</name>
    <message>
        <source>Cannot create the data directory %1</source>
        <translation>データディレクトリ %1 を作成できません</translation>
    </message>
    <message>
        <source>Cannot open the trace database %1: %2</source>
        <translation>トレースデータベース %1 を開けません: %2</translation>
    </message>
    <message>
        <source>Port %1 is in use — receiving disabled; stored traces are available</source>
        <translation>ポート %1 は使用中です — 受信を無効にしました。保存済みのトレースは利用できます</translation>
    </message>
    <message>
        <source>Cannot receive on %1:%2 (%3) — receiving disabled; stored traces are available</source>
        <translation>%1:%2 で受信できません（%3）— 受信を無効にしました。保存済みのトレースは利用できます</translation>
    </message>
    <message>
        <source>OTLP/gRPC port %1 is in use — gRPC receiving disabled</source>
        <translation>OTLP/gRPC のポート %1 は使用中です — gRPC の受信を無効にしました</translation>
    </message>
    <message>
        <source>Cannot receive OTLP/gRPC on %1:%2 (%3)</source>
        <translation>%1:%2 で OTLP/gRPC を受信できません（%3）</translation>
    </message>
    <message>
        <source>Redaction rules cannot be used (%1) — receiving disabled; stored traces are available</source>
        <translation>伏せ字ルールを使用できません (%1) — 受信は無効です。保存済みのトレースは利用できます</translation>
    </message>
    <message>
        <source>Redaction rules cannot be used (%1)</source>
        <translation>伏せ字ルールを使用できません (%1)</translation>
    </message>
</context>
<context>
    <name>agentops::client::SourceManager</name>
    <message>
        <source>Local</source>
        <translation>ローカル</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AboutDialog</name>
    <message>
        <source>Version: %1</source>
        <translation>バージョン: %1</translation>
    </message>
    <message>
        <source>Source commit: %1</source>
        <translation>ソースのコミット: %1</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>記録なし</translation>
    </message>
    <message>
        <source>Qt: built with %1, running with %2</source>
        <translation>Qt: ビルド時 %1、実行時 %2</translation>
    </message>
    <message>
        <source>Compiler: %1</source>
        <translation>コンパイラー: %1</translation>
    </message>
    <message>
        <source>Build type: %1</source>
        <translation>ビルドの種類: %1</translation>
    </message>
    <message>
        <source>Platform: %1 (%2), %3</source>
        <translation>プラットフォーム: %1（%2）、%3</translation>
    </message>
    <message>
        <source>About AgentOps Monitor</source>
        <translation>AgentOps Monitor について</translation>
    </message>
    <message>
        <source>AgentOps Monitor %1</source>
        <translation>AgentOps Monitor %1</translation>
    </message>
    <message>
        <source>Traces, costs and failures of AI agents, on your desktop. Receives OpenTelemetry traces over OTLP/HTTP and keeps them in a local database.</source>
        <translation>AI エージェントのトレース、コスト、失敗をデスクトップで。OpenTelemetry のトレースを OTLP/HTTP で受信し、ローカルデータベースに保存します。</translation>
    </message>
    <message>
        <source>Released under the MIT licence; see the Licence tab.</source>
        <translation>MIT ライセンスで公開されています。「ライセンス」タブを参照してください。</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>コンポーネント</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>バージョン</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>ライセンス</translation>
    </message>
    <message>
        <source>Home page</source>
        <translation>ホームページ</translation>
    </message>
    <message>
        <source>system</source>
        <translation>システム</translation>
    </message>
    <message>
        <source>Components</source>
        <translation>コンポーネント</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>ビルド</translation>
    </message>
    <message>
        <source>Copy Build Details</source>
        <translation>ビルドの詳細をコピー</translation>
    </message>
    <message>
        <source>The documentation is not installed (the package puts it in /usr/share/doc/agentops-monitor).</source>
        <translation>ドキュメントがインストールされていません（パッケージは /usr/share/doc/agentops-monitor に置きます）。</translation>
    </message>
    <message>
        <source>Documentation:</source>
        <translation>ドキュメント:</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AlertMonitor</name>
    <message>
        <source>and 1 more alert</source>
        <translation>ほか 1 件のアラート</translation>
    </message>
    <message>
        <source>and %1 more alerts</source>
        <translation>ほか %1 件のアラート</translation>
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
        <translation>このルールを評価する</translation>
    </message>
    <message>
        <source>Edit Alert Rule</source>
        <translation>アラートルールの編集</translation>
    </message>
    <message>
        <source>New Alert Rule</source>
        <translation>新しいアラートルール</translation>
    </message>
    <message>
        <source>e.g. checkout errors</source>
        <translation>例: checkout のエラー</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>The condition must hold this long before the alert fires, and be gone this long before it resolves, so a value that wavers around the threshold does not notify again and again.</source>
        <translation>条件がこの時間続いてからアラートが発報し、この時間解消してから解決になります。しきい値付近で揺れる値が何度も通知されることはありません。</translation>
    </message>
    <message>
        <source>All traffic</source>
        <translation>すべてのトラフィック</translation>
    </message>
    <message>
        <source>One service</source>
        <translation>1 つのサービス</translation>
    </message>
    <message>
        <source>One agent</source>
        <translation>1 つのエージェント</translation>
    </message>
    <message>
        <source>One model</source>
        <translation>1 つのモデル</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名前(&amp;N):</translation>
    </message>
    <message>
        <source>&amp;Watch:</source>
        <translation>監視対象(&amp;W):</translation>
    </message>
    <message>
        <source>&amp;Threshold:</source>
        <translation>しきい値(&amp;T):</translation>
    </message>
    <message>
        <source>Over the last:</source>
        <translation>直近の期間:</translation>
    </message>
    <message>
        <source>&amp;For at least:</source>
        <translation>継続時間(&amp;F):</translation>
    </message>
    <message>
        <source>&amp;Scope:</source>
        <translation>範囲(&amp;S):</translation>
    </message>
    <message>
        <source>Na&amp;me in scope:</source>
        <translation>範囲内の名前(&amp;M):</translation>
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
        <translation> / 時間</translation>
    </message>
    <message>
        <source> per day</source>
        <translation> / 日</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>at most </source>
        <translation>最大 </translation>
    </message>
    <message>
        <source> spans</source>
        <translation> スパン</translation>
    </message>
    <message>
        <source>service.name, e.g. checkout</source>
        <translation>service.name (例: checkout)</translation>
    </message>
    <message>
        <source>agent name, e.g. weather_agent</source>
        <translation>エージェント名 (例: weather_agent)</translation>
    </message>
    <message>
        <source>model, e.g. gpt-4o-mini</source>
        <translation>モデル (例: gpt-4o-mini)</translation>
    </message>
    <message>
        <source>Give the rule a name.</source>
        <translation>ルールに名前を付けてください。</translation>
    </message>
    <message>
        <source>Name the service, agent or model the rule watches.</source>
        <translation>ルールが監視するサービス、エージェント、モデルの名前を入力してください。</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AlertRulesPage</name>
    <message>
        <source>&amp;Add…</source>
        <translation>追加(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>編集(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>削除(&amp;R)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>範囲</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Rules are checked every minute against the traces in this computer&apos;s database. When one fires or resolves, a desktop notification tells you, and View ▸ Alerts lists it.</source>
        <translation>ルールはこのコンピューターのデータベースのトレースに対して毎分チェックされます。発報または解決するとデスクトップ通知でお知らせし、表示 ▸ アラートに一覧表示されます。</translation>
    </message>
    <message>
        <source>Alerts need the local database, which this session does not have.</source>
        <translation>アラートにはローカルデータベースが必要ですが、このセッションにはありません。</translation>
    </message>
    <message>
        <source>The alert rules could not be read: %1</source>
        <translation>アラートルールを読み込めませんでした: %1</translation>
    </message>
    <message>
        <source>No alert rules yet. Add one to hear when error rates, cost or latency go up, or when an agent goes quiet.</source>
        <translation>アラートルールはまだありません。エラー率、コスト、レイテンシの上昇やエージェントの停止を知るにはルールを追加してください。</translation>
    </message>
    <message>
        <source>Alert Rule Not Saved</source>
        <translation>アラートルールを保存できませんでした</translation>
    </message>
    <message>
        <source>Remove Alert Rule</source>
        <translation>アラートルールの削除</translation>
    </message>
    <message>
        <source>Remove the alert rule “%1”? Alerts it raised stay in the list.</source>
        <translation>アラートルール「%1」を削除しますか? これまでのアラートは一覧に残ります。</translation>
    </message>
    <message>
        <source>Alert Rule Not Removed</source>
        <translation>アラートルールを削除できませんでした</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AlertsDialog</name>
    <message>
        <source>Rule</source>
        <translation>ルール</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>範囲</translation>
    </message>
    <message>
        <source>Firing since</source>
        <translation>発報開始</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時刻</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>詳細</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>アラート</translation>
    </message>
    <message>
        <source>&amp;Firing now</source>
        <translation>発報中(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Recent alerts</source>
        <translation>最近のアラート(&amp;R)</translation>
    </message>
    <message>
        <source>Alert R&amp;ules…</source>
        <translation>アラートルール(&amp;U)…</translation>
    </message>
    <message>
        <source>&amp;Check Now</source>
        <translation>今すぐチェック(&amp;C)</translation>
    </message>
    <message>
        <source>Alerts need the local database, which this session does not have.</source>
        <translation>アラートにはローカルデータベースが必要ですが、このセッションにはありません。</translation>
    </message>
    <message>
        <source>The alerts could not be read: %1</source>
        <translation>アラートを読み込めませんでした: %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Fired</source>
        <translation>発報</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>解決</translation>
    </message>
    <message>
        <source>No alert rules yet: make one with Alert Rules…</source>
        <translation>アラートルールはまだありません。「アラートルール…」で作成してください</translation>
    </message>
    <message>
        <source>No alert is firing. 1 rule is checked every minute.</source>
        <translation>発報中のアラートはありません。1 件のルールを毎分チェックしています。</translation>
    </message>
    <message>
        <source>No alert is firing. %1 rules are checked every minute.</source>
        <translation>発報中のアラートはありません。%1 件のルールを毎分チェックしています。</translation>
    </message>
    <message>
        <source>1 alert firing.</source>
        <translation>1 件のアラートが発報中です。</translation>
    </message>
    <message>
        <source>%1 alerts firing.</source>
        <translation>%1 件のアラートが発報中です。</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AttributeModel</name>
    <message>
        <source>Key</source>
        <translation>キー</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>型</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AttributeTable</name>
    <message>
        <source>Filter by key or value</source>
        <translation>キーまたは値で絞り込み</translation>
    </message>
    <message>
        <source>No attributes</source>
        <translation>属性なし</translation>
    </message>
    <message>
        <source>Copy Value</source>
        <translation>値をコピー</translation>
    </message>
    <message>
        <source>Copy Key</source>
        <translation>キーをコピー</translation>
    </message>
    <message>
        <source>Copy All as JSON</source>
        <translation>すべて JSON としてコピー</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ComparePage</name>
    <message>
        <source>First divergence</source>
        <translation>最初の相違</translation>
    </message>
    <message>
        <source>Compare runs</source>
        <translation>実行の比較</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
    <message>
        <source>Back to the page the comparison was opened from (Esc, Alt+Left)</source>
        <translation>比較を開いたページに戻る (Esc, Alt+←)</translation>
    </message>
    <message>
        <source>Select the first step that differs between the runs (Alt+D)</source>
        <translation>実行間で最初に異なるステップを選択 (Alt+D)</translation>
    </message>
    <message>
        <source>Aligned steps</source>
        <translation>対応付けたステップ</translation>
    </message>
    <message>
        <source>Text differences of the selected step</source>
        <translation>選択したステップのテキストの差分</translation>
    </message>
    <message>
        <source>Comparing runs…</source>
        <translation>実行を比較中…</translation>
    </message>
    <message>
        <source>Could not compare the runs: %1</source>
        <translation>実行を比較できませんでした: %1</translation>
    </message>
    <message>
        <source>A: %1 · B: %2</source>
        <translation>A: %1 · B: %2</translation>
    </message>
    <message>
        <source>Δ tokens: &lt;b&gt;%1&lt;/b&gt; (input %2, output %3)</source>
        <translation>Δ トークン: &lt;b&gt;%1&lt;/b&gt; (入力 %2, 出力 %3)</translation>
    </message>
    <message>
        <source>Δ cost: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Δ コスト: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>no price</source>
        <translation>価格なし</translation>
    </message>
    <message>
        <source>Δ latency: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Δ レイテンシ: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>%1 added, %2 removed, %3 changed of %4 steps</source>
        <translation>%4 ステップ中 %1 追加、%2 削除、%3 変更</translation>
    </message>
    <message>
        <source>First divergence: step %1, “%2” (%3)</source>
        <translation>最初の相違: ステップ %1「%2」(%3)</translation>
    </message>
    <message>
        <source>No divergence: every step is alike</source>
        <translation>相違なし: すべてのステップが同じです</translation>
    </message>
    <message>
        <source>inputs and outputs were not compared (a big trace is read without them)</source>
        <translation>入力と出力は比較していません (大きなトレースはそれらなしで読み込まれます)</translation>
    </message>
    <message>
        <source>Comparing the texts…</source>
        <translation>テキストを比較中…</translation>
    </message>
    <message>
        <source>Could not read the step: %1</source>
        <translation>ステップを読み込めませんでした: %1</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>the same in both runs</source>
        <translation>両方の実行で同じ</translation>
    </message>
    <message>
        <source>only in run B</source>
        <translation>実行 B のみ</translation>
    </message>
    <message>
        <source>only in run A</source>
        <translation>実行 A のみ</translation>
    </message>
    <message>
        <source>only the beginning was compared</source>
        <translation>先頭部分のみ比較しました</translation>
    </message>
    <message>
        <source>Input (prompt or tool arguments)</source>
        <translation>入力 (プロンプトまたはツール引数)</translation>
    </message>
    <message>
        <source>Output (completion or tool result)</source>
        <translation>出力 (応答またはツール結果)</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>error</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>unset</source>
        <translation>未設定</translation>
    </message>
    <message>
        <source>“%1” %2 (%3, %4, %5)</source>
        <translation>「%1」 %2（%3、%4、%5）</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>相違あり</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>ステータス</translation>
    </message>
    <message>
        <source>Run A</source>
        <translation>実行 A</translation>
    </message>
    <message>
        <source>Run B</source>
        <translation>実行 B</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ComparePendingBar</name>
    <message>
        <source>Compare</source>
        <translation>比較</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Cancel the comparison</source>
        <translation>比較を取り消す</translation>
    </message>
    <message>
        <source>Comparison in progress</source>
        <translation>比較の途中</translation>
    </message>
    <message>
        <source>Compare run A with the trace selected now (Ctrl+D)</source>
        <translation>実行 A を今選択しているトレースと比較 (Ctrl+D)</translation>
    </message>
    <message>
        <source>Forget run A (Esc)</source>
        <translation>実行 A を破棄 (Esc)</translation>
    </message>
    <message>
        <source>Comparing with %1 from %2 — select run B, in any list and from any source, and press Ctrl+D or Compare</source>
        <translation>%2 の %1 と比較します — 任意のリスト・ソースで実行 B を選択し、Ctrl+D または「比較」を押してください</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ConnectionBanner</name>
    <message>
        <source>Retry Now</source>
        <translation>今すぐ再試行</translation>
    </message>
    <message>
        <source>Sign In…</source>
        <translation>サインイン…</translation>
    </message>
    <message>
        <source>Cannot reach %1 — retrying in %2 s</source>
        <translation>%1 に接続できません — %2 秒後に再試行します</translation>
    </message>
    <message>
        <source>Cannot reach %1 — retrying…</source>
        <translation>%1 に接続できません — 再試行中…</translation>
    </message>
    <message>
        <source>Signed out of %1: the session expired or was revoked. Sign in again to see its traces.</source>
        <translation>%1 からサインアウトしました: セッションが期限切れになったか取り消されました。トレースを見るには再度サインインしてください。</translation>
    </message>
    <message>
        <source>%1 refused access: %2</source>
        <translation>%1 がアクセスを拒否しました: %2</translation>
    </message>
    <message>
        <source>%1 reported an error: %2</source>
        <translation>%1 がエラーを報告しました: %2</translation>
    </message>
</context>
<context>
    <name>agentops::ui::CrashReportDialog</name>
    <message>
        <source>AgentOps Monitor Quit Unexpectedly</source>
        <translation>AgentOps Monitor が予期せず終了しました</translation>
    </message>
    <message>
        <source>AgentOps Monitor quit unexpectedly %1 times since it last ran. The latest report is below and in %2. It stays on this computer: nothing was sent anywhere.</source>
        <translation>AgentOps Monitor は前回の実行以降 %1 回予期せず終了しました。最新のレポートを下に表示します（保存先: %2）。レポートはこのコンピューターにのみ保存され、どこにも送信されていません。</translation>
    </message>
    <message>
        <source>AgentOps Monitor quit unexpectedly the last time it ran. The report below is in %1. It stays on this computer: nothing was sent anywhere.</source>
        <translation>AgentOps Monitor は前回の実行中に予期せず終了しました。下のレポートは %1 に保存されています。レポートはこのコンピューターにのみ保存され、どこにも送信されていません。</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>フォルダーを開く</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>閉じる</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DashboardChartView</name>
    <message>
        <source>Save Chart as PNG…</source>
        <translation>グラフを PNG で保存…</translation>
    </message>
    <message>
        <source>Save Chart</source>
        <translation>グラフを保存</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>%1 を書き込めませんでした。</translation>
    </message>
    <message>
        <source>Save Data as CSV…</source>
        <translation>データを CSV で保存…</translation>
    </message>
    <message>
        <source>Save Chart Data</source>
        <translation>グラフのデータを保存</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV ファイル (*.csv)</translation>
    </message>
    <message>
        <source>Copy Data</source>
        <translation>データをコピー</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation>ダッシュボード</translation>
    </message>
    <message>
        <source>Split by model</source>
        <translation>モデル別</translation>
    </message>
    <message>
        <source>Split by service</source>
        <translation>サービス別</translation>
    </message>
    <message>
        <source>Split by span kind</source>
        <translation>スパン種別別</translation>
    </message>
    <message>
        <source>Split by agent</source>
        <translation>エージェント別</translation>
    </message>
    <message>
        <source>No split</source>
        <translation>分割なし</translation>
    </message>
    <message>
        <source>How cost is broken down</source>
        <translation>コストの内訳の分け方</translation>
    </message>
    <message>
        <source>Refresh now (the dashboard also refreshes every few seconds)</source>
        <translation>今すぐ更新（ダッシュボードは数秒ごとにも更新されます）</translation>
    </message>
    <message>
        <source>Metrics are not available</source>
        <translation>メトリクスは利用できません</translation>
    </message>
    <message>
        <source>The current trace source cannot compute metrics. The Traces and Sessions pages still work.</source>
        <translation>現在のトレースソースはメトリクスを計算できません。「トレース」と「セッション」のページは引き続き使えます。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>読み込み中…</translation>
    </message>
    <message>
        <source>Could not load metrics</source>
        <translation>メトリクスを読み込めませんでした</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>更新: %1</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DashboardView</name>
    <message>
        <source>Traces</source>
        <translation>トレース</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>エラー率</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>トークン</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>コスト</translation>
    </message>
    <message>
        <source>p95 trace latency</source>
        <translation>p95 トレースレイテンシ</translation>
    </message>
    <message>
        <source>LLM calls</source>
        <translation>LLM 呼び出し</translation>
    </message>
    <message>
        <source>Latency of whole traces or of single LLM calls</source>
        <translation>トレース全体または個々の LLM 呼び出しのレイテンシ</translation>
    </message>
    <message>
        <source>Traces and error rate</source>
        <translation>トレースとエラー率</translation>
    </message>
    <message>
        <source>Latency percentiles</source>
        <translation>レイテンシのパーセンタイル</translation>
    </message>
    <message>
        <source>Cost by model</source>
        <translation>モデル別コスト</translation>
    </message>
    <message>
        <source>Top failing spans</source>
        <translation>失敗の多いスパン</translation>
    </message>
    <message>
        <source>Slowest traces</source>
        <translation>最も遅いトレース</translation>
    </message>
    <message>
        <source>Costliest traces</source>
        <translation>最もコストの高いトレース</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at the OTLP/HTTP endpoint (&lt;b&gt;/v1/traces&lt;/b&gt; on the address shown in the status bar), open a trace file (Ctrl+O), or choose a longer time range.</source>
        <translation>OpenTelemetry エクスポーターの送信先を OTLP/HTTP エンドポイント（ステータスバーに表示されたアドレスの &lt;b&gt;/v1/traces&lt;/b&gt;）にするか、トレースファイルを開く（Ctrl+O）か、より長い期間を選んでください。</translation>
    </message>
    <message>
        <source>model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>service</source>
        <translation>サービス</translation>
    </message>
    <message>
        <source>span kind</source>
        <translation>スパン種別</translation>
    </message>
    <message>
        <source>agent</source>
        <translation>エージェント</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（なし）</translation>
    </message>
    <message>
        <source>All</source>
        <translation>すべて</translation>
    </message>
    <message>
        <source>No traces in this time range</source>
        <translation>この期間にトレースはありません</translation>
    </message>
    <message>
        <source>Cost by %1</source>
        <translation>%1別コスト</translation>
    </message>
    <message>
        <source>Cost in range</source>
        <translation>期間内のコスト</translation>
    </message>
    <message>
        <source>Cost by %1 in range</source>
        <translation>期間内の%1別コスト</translation>
    </message>
    <message>
        <source>%1 spans</source>
        <translation>%1 スパン</translation>
    </message>
    <message>
        <source>1 failed trace</source>
        <translation>失敗したトレース 1 件</translation>
    </message>
    <message>
        <source>%1 failed traces</source>
        <translation>失敗したトレース %1 件</translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation>入力 %1 · 出力 %2</translation>
    </message>
    <message>
        <source>1 unpriced span</source>
        <translation>価格なしのスパン 1 件</translation>
    </message>
    <message>
        <source>%1 unpriced spans</source>
        <translation>価格なしのスパン %1 件</translation>
    </message>
    <message>
        <source>%1 per trace</source>
        <translation>トレースあたり %1</translation>
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
        <translation>失敗</translation>
    </message>
    <message>
        <source>Error rate (right)</source>
        <translation>エラー率（右軸）</translation>
    </message>
    <message>
        <source>Error spans</source>
        <translation>エラースパン</translation>
    </message>
    <message>
        <source>Click to list these traces</source>
        <translation>クリックでこれらのトレースを一覧表示</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>Input, cache read</source>
        <translation>入力（キャッシュ読み取り）</translation>
    </message>
    <message>
        <source>Output (incl. reasoning)</source>
        <translation>出力（推論を含む）</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>  of which reasoning</source>
        <translation>  うち推論</translation>
    </message>
    <message>
        <source>Cache write (in input)</source>
        <translation>キャッシュ書き込み（入力に含む）</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合計</translation>
    </message>
    <message>
        <source>%1 (unpriced spans)</source>
        <translation>%1（価格なしのスパン）</translation>
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
        <translation>サンプルなし</translation>
    </message>
    <message>
        <source>Share of cost</source>
        <translation>コストの割合</translation>
    </message>
    <message>
        <source>Unpriced spans</source>
        <translation>価格なしのスパン</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DatabaseBackup</name>
    <message>
        <source>Backing up the database to %1…</source>
        <translation>データベースを %1 にバックアップしています…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Back Up Database</source>
        <translation>データベースのバックアップ</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>不明なエラー</translation>
    </message>
    <message>
        <source>The backup was cancelled; nothing was written.</source>
        <translation>バックアップはキャンセルされました。何も書き込まれていません。</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DocumentationBrowser</name>
    <message>
        <source>AgentOps Monitor Documentation</source>
        <translation>AgentOps Monitor ドキュメント</translation>
    </message>
    <message>
        <source>Back (Alt+Left)</source>
        <translation>戻る（Alt+←）</translation>
    </message>
    <message>
        <source>Forward (Alt+Right)</source>
        <translation>進む（Alt+→）</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>目次</translation>
    </message>
    <message>
        <source>The README, which links every other page</source>
        <translation>他のすべてのページへリンクしている README</translation>
    </message>
    <message>
        <source>The documentation is not installed. The agentops-monitor package puts it in /usr/share/doc/agentops-monitor; looked in:

%1</source>
        <translation>ドキュメントがインストールされていません。agentops-monitor パッケージは /usr/share/doc/agentops-monitor に置きます。探した場所:

%1</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ElidedTextView</name>
    <message>
        <source>Showing the first %1 of %2.</source>
        <translation>%2 のうち最初の %1 を表示しています。</translation>
    </message>
    <message>
        <source>Show all (%1)</source>
        <translation>すべて表示（%1）</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ErrorGroupModel</name>
    <message>
        <source>(no message)</source>
        <translation>（メッセージなし）</translation>
    </message>
    <message>
        <source>Double-click to open an example trace</source>
        <translation>ダブルクリックで例のトレースを開く</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>スパン</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>件数</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>最終発生</translation>
    </message>
</context>
<context>
    <name>agentops::ui::JsonTreeModel</name>
    <message>
        <source>(value)</source>
        <translation>（値）</translation>
    </message>
    <message>
        <source>{1 key}</source>
        <translation>{1 キー}</translation>
    </message>
    <message>
        <source>{%1 keys}</source>
        <translation>{%1 キー}</translation>
    </message>
    <message>
        <source>[1 item]</source>
        <translation>[1 項目]</translation>
    </message>
    <message>
        <source>[%1 items]</source>
        <translation>[%1 項目]</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>キー</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>型</translation>
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
        <translation>ダッシュボード</translation>
    </message>
    <message>
        <source>Traces</source>
        <translation>トレース</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>セッション</translation>
    </message>
    <message>
        <source>Could not load: %1</source>
        <translation>読み込めませんでした: %1</translation>
    </message>
    <message>
        <source>Imported %1 spans</source>
        <translation>%1 スパンをインポートしました</translation>
    </message>
    <message>
        <source>Imported %1 spans; %2 left out (see the import details)</source>
        <translation>%1 スパンをインポートしました。%2 件は除外されました（インポートの詳細を参照）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Trace File…</source>
        <translation>トレースファイルを開く(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Export Selected Traces…</source>
        <translation>選択したトレースをエクスポート(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>更新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Dashboard</source>
        <translation>ダッシュボード(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Traces</source>
        <translation>トレース(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Sessions</source>
        <translation>セッション(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>設定(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Configure AgentOps Monitor…</source>
        <translation>AgentOps Monitor の設定(&amp;C)…</translation>
    </message>
    <message>
        <source>Model &amp;prices…</source>
        <translation>モデル価格(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About AgentOps Monitor</source>
        <translation>AgentOps Monitor について(&amp;A)</translation>
    </message>
    <message>
        <source>99,999 spans/s</source>
        <translation>99,999 スパン/秒</translation>
    </message>
    <message>
        <source>99,999+ traces</source>
        <translation>99,999+ トレース</translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation>%1 を読み込み中</translation>
    </message>
    <message>
        <source>Receiving OTLP on %1</source>
        <translation>%1 で OTLP を受信中</translation>
    </message>
    <message>
        <source>Point OpenTelemetry exporters at %1/v1/traces</source>
        <translation>OpenTelemetry エクスポーターの送信先を %1/v1/traces にしてください</translation>
    </message>
    <message>
        <source>Change the port in Settings to receive traces</source>
        <translation>トレースを受信するには設定でポートを変更してください</translation>
    </message>
    <message>
        <source>Receiving is off; stored traces are available</source>
        <translation>受信はオフです。保存済みのトレースは利用できます</translation>
    </message>
    <message>
        <source>Open a trace file (Ctrl+O) or drop one here.</source>
        <translation>トレースファイルを開く（Ctrl+O）か、ここにドロップしてください。</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at &lt;b&gt;%1/v1/traces&lt;/b&gt;,&lt;br&gt;or open a trace file (Ctrl+O).</source>
        <translation>OpenTelemetry エクスポーターの送信先を &lt;b&gt;%1/v1/traces&lt;/b&gt; にするか、&lt;br&gt;トレースファイルを開いてください（Ctrl+O）。</translation>
    </message>
    <message>
        <source>No traces to show</source>
        <translation>表示するトレースはありません</translation>
    </message>
    <message>
        <source>Open a trace file (Ctrl+O), or choose a longer time range.</source>
        <translation>トレースファイルを開く（Ctrl+O）か、より長い期間を選んでください。</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at &lt;b&gt;%1/v1/traces&lt;/b&gt;,&lt;br&gt;open a trace file (Ctrl+O), or choose a longer time range.</source>
        <translation>OpenTelemetry エクスポーターの送信先を &lt;b&gt;%1/v1/traces&lt;/b&gt; にするか、&lt;br&gt;トレースファイルを開く（Ctrl+O）か、より長い期間を選んでください。</translation>
    </message>
    <message>
        <source>%1 spans/s</source>
        <translation>%1 スパン/秒</translation>
    </message>
    <message>
        <source>Spans received per second</source>
        <translation>1 秒あたりの受信スパン数</translation>
    </message>
    <message>
        <source>%1+ traces</source>
        <translation>%1+ トレース</translation>
    </message>
    <message>
        <source>%1 traces loaded; scroll down for more</source>
        <translation>%1 トレースを読み込みました。さらに表示するには下へスクロールしてください</translation>
    </message>
    <message>
        <source>1 trace</source>
        <translation>1 トレース</translation>
    </message>
    <message>
        <source>%1 traces</source>
        <translation>%1 トレース</translation>
    </message>
    <message>
        <source>Open Trace Files</source>
        <translation>トレースファイルを開く</translation>
    </message>
    <message>
        <source>Trace files (%1);;All files (*)</source>
        <translation>トレースファイル (%1);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Trace files can only be imported into the local database.</source>
        <translation>トレースファイルはローカルデータベースにのみインポートできます。</translation>
    </message>
    <message>
        <source>An import is still running</source>
        <translation>インポートがまだ実行中です</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>%1 をインポート中…</translation>
    </message>
    <message>
        <source>Importing %1 files…</source>
        <translation>%1 個のファイルをインポート中…</translation>
    </message>
    <message>
        <source>Export Traces</source>
        <translation>トレースをエクスポート</translation>
    </message>
    <message>
        <source>Select the traces to export first.</source>
        <translation>先にエクスポートするトレースを選択してください。</translation>
    </message>
    <message>
        <source>Export Trace</source>
        <translation>トレースをエクスポート</translation>
    </message>
    <message>
        <source>Export %1 Traces</source>
        <translation>%1 件のトレースをエクスポート</translation>
    </message>
    <message>
        <source>OTLP JSON lines (*.jsonl);;All files (*)</source>
        <translation>OTLP JSON Lines (*.jsonl);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>エクスポート中…</translation>
    </message>
    <message>
        <source>Exported 1 trace to %1</source>
        <translation>1 件のトレースを %1 にエクスポートしました</translation>
    </message>
    <message>
        <source>Exported %1 traces to %2</source>
        <translation>%1 件のトレースを %2 にエクスポートしました</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>ソース</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>ソース:</translation>
    </message>
    <message>
        <source>Local database</source>
        <translation>ローカルデータベース</translation>
    </message>
    <message>
        <source>%1 — AgentOps Monitor</source>
        <translation>%1 — AgentOps Monitor</translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation>サーバー: %1</translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation>ドキュメント(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>キーボードショートカット(&amp;K)</translation>
    </message>
    <message>
        <source>Team server %1</source>
        <translation>チームサーバー %1</translation>
    </message>
    <message>
        <source>Team server %1, project %2</source>
        <translation>チームサーバー %1、プロジェクト %2</translation>
    </message>
    <message>
        <source>Traces come from %1, signed in as %2. The receiver on this computer keeps running; choose Local in Source to see what it received.</source>
        <translation>トレースは %1 から取得しています（%2 としてサインイン中）。このコンピューターのレシーバーは動作を続けています。受信した内容を見るには「ソース」で「ローカル」を選んでください。</translation>
    </message>
    <message>
        <source>Receiving OTLP on %1 (HTTP) and %2 (gRPC)</source>
        <translation>%1（HTTP）と %2（gRPC）で OTLP を受信中</translation>
    </message>
    <message>
        <source>Point OpenTelemetry exporters at %1/v1/traces (OTLP/HTTP) or %2 (OTLP/gRPC)</source>
        <translation>OpenTelemetry エクスポーターの送信先を %1/v1/traces（OTLP/HTTP）または %2（OTLP/gRPC）にしてください</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at &lt;b&gt;%1/v1/traces&lt;/b&gt; (OTLP/HTTP)&lt;br&gt;or &lt;b&gt;%2&lt;/b&gt; (OTLP/gRPC), or open a trace file (Ctrl+O).</source>
        <translation>OpenTelemetry エクスポーターの送信先を &lt;b&gt;%1/v1/traces&lt;/b&gt;（OTLP/HTTP）&lt;br&gt;または &lt;b&gt;%2&lt;/b&gt;（OTLP/gRPC）にするか、トレースファイルを開いてください（Ctrl+O）。</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at &lt;b&gt;%1/v1/traces&lt;/b&gt; (OTLP/HTTP)&lt;br&gt;or &lt;b&gt;%2&lt;/b&gt; (OTLP/gRPC), open a trace file (Ctrl+O), or choose a longer time range.</source>
        <translation>OpenTelemetry エクスポーターの送信先を &lt;b&gt;%1/v1/traces&lt;/b&gt;（OTLP/HTTP）&lt;br&gt;または &lt;b&gt;%2&lt;/b&gt;（OTLP/gRPC）にするか、トレースファイルを開く（Ctrl+O）か、より長い期間を選んでください。</translation>
    </message>
    <message>
        <source>&amp;Compare Selected Runs</source>
        <translation>選択した実行を比較(&amp;C)</translation>
    </message>
    <message>
        <source>Compare the two traces selected in the list, step by step</source>
        <translation>一覧で選択した 2 つのトレースをステップごとに比較</translation>
    </message>
    <message>
        <source>Compare &amp;With…</source>
        <translation>比較対象を選ぶ(&amp;W)…</translation>
    </message>
    <message>
        <source>Keep the open trace as run A; then pick run B, from any source, and compare</source>
        <translation>開いているトレースを実行 A として保持し、任意のソースから実行 B を選んで比較</translation>
    </message>
    <message>
        <source>Select one trace to compare with run A, then press Ctrl+D</source>
        <translation>実行 A と比較するトレースを 1 つ選択し、Ctrl+D を押してください</translation>
    </message>
    <message>
        <source>Select two traces to compare (Ctrl+click), then press Ctrl+D</source>
        <translation>比較する 2 つのトレースを選択 (Ctrl+クリック) し、Ctrl+D を押してください</translation>
    </message>
    <message>
        <source>Open or select the trace to compare first</source>
        <translation>先に比較するトレースを開くか選択してください</translation>
    </message>
    <message>
        <source>“%1” (%2)</source>
        <translation>「%1」(%2)</translation>
    </message>
    <message>
        <source>Compare With %1</source>
        <translation>%1 と比較</translation>
    </message>
    <message>
        <source>Select one trace to compare with run A</source>
        <translation>実行 A と比較するトレースを 1 つ選択してください</translation>
    </message>
    <message>
        <source>Select two traces to compare them (Ctrl+click)</source>
        <translation>比較する 2 つのトレースを選択してください (Ctrl+クリック)</translation>
    </message>
    <message>
        <source>Select one trace to keep as run A</source>
        <translation>実行 A とするトレースを 1 つ選択してください</translation>
    </message>
    <message>
        <source>Backed up the database to %1 (%2)</source>
        <translation>データベースを %1 にバックアップしました（%2）</translation>
    </message>
    <message>
        <source>Back Up Database</source>
        <translation>データベースのバックアップ</translation>
    </message>
    <message>
        <source>The database could not be backed up. Nothing was written.</source>
        <translation>データベースをバックアップできませんでした。何も書き込まれていません。</translation>
    </message>
    <message>
        <source>&amp;Back Up Database…</source>
        <translation>データベースのバックアップ(&amp;B)…</translation>
    </message>
    <message>
        <source>Write a backup of the local database to a file</source>
        <translation>ローカルデータベースのバックアップをファイルに書き出す</translation>
    </message>
    <message>
        <source>Search index unavailable</source>
        <translation>検索インデックスを利用できません</translation>
    </message>
    <message>
        <source>Indexing for search: %1 %</source>
        <translation>検索用にインデックス作成中: %1 %</translation>
    </message>
    <message>
        <source>Searches find what is indexed so far; %1 spans to go.</source>
        <translation>検索はこれまでにインデックス化された分を対象にします。残り %1 スパン。</translation>
    </message>
    <message>
        <source>Backups (*.tar);;All files (*)</source>
        <translation>バックアップ (*.tar);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Select another trace than run A to compare with it</source>
        <translation>実行 A と比較するには、実行 A 以外のトレースを選択してください</translation>
    </message>
    <message>
        <source>&amp;Alerts…</source>
        <translation>アラート(&amp;A)…</translation>
    </message>
    <message>
        <source>The alerts firing now and the recent ones, from the local database&apos;s rules</source>
        <translation>ローカルデータベースのルールによる、発報中および最近のアラート</translation>
    </message>
    <message>
        <source>Show the alerts (View ▸ Alerts)</source>
        <translation>アラートを表示 (表示 ▸ アラート)</translation>
    </message>
    <message>
        <source>⚠ 1 alert firing</source>
        <translation>⚠ 1 件のアラートが発報中</translation>
    </message>
    <message>
        <source>⚠ %1 alerts firing</source>
        <translation>⚠ %1 件のアラートが発報中</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>消去</translation>
    </message>
    <message>
        <source>Database %1 · %2 free</source>
        <translation>データベース %1 · 空き %2</translation>
    </message>
    <message>
        <source>Database %1</source>
        <translation>データベース %1</translation>
    </message>
    <message>
        <source>Disk low: %1</source>
        <translation>ディスク残量わずか: %1</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>データベース: %1</translation>
    </message>
    <message>
        <source>Write-ahead log: %1</source>
        <translation>先行書き込みログ: %1</translation>
    </message>
    <message>
        <source>Search index: %1</source>
        <translation>検索インデックス: %1</translation>
    </message>
    <message>
        <source>Search index log: %1</source>
        <translation>検索インデックスのログ: %1</translation>
    </message>
    <message>
        <source>Free on its disk: %1 of %2</source>
        <translation>ディスクの空き: %2 中 %1</translation>
    </message>
    <message>
        <source>Low below: %1</source>
        <translation>警告のしきい値: %1</translation>
    </message>
    <message>
        <source>Kept within: %1 (Settings)</source>
        <translation>上限: %1（設定）</translation>
    </message>
    <message>
        <source>Free space on this disk, or keep the database smaller in Settings ▸ Storage.</source>
        <translation>このディスクの空きを増やすか、設定 ▸ ストレージでデータベースを小さく保ってください。</translation>
    </message>
    <message>
        <source>Disk low: %1 free (warning below %2). New traces are refused once it is full.</source>
        <translation>ディスク残量わずか: 空き %1（%2 未満で警告）。満杯になると新しいトレースは拒否されます。</translation>
    </message>
    <message>
        <source>E&amp;rase %1 Traces…</source>
        <translation>%1 件のトレースを消去(&amp;R)…</translation>
    </message>
    <message>
        <source>E&amp;rase Trace…</source>
        <translation>トレースを消去(&amp;R)…</translation>
    </message>
    <message>
        <source>E&amp;rase Session…</source>
        <translation>セッションを消去(&amp;R)…</translation>
    </message>
    <message>
        <source>Erase the trace %1 for good?</source>
        <translation>トレース %1 を完全に消去しますか？</translation>
    </message>
    <message>
        <source>Erase these %1 traces for good?</source>
        <translation>これら %1 件のトレースを完全に消去しますか？</translation>
    </message>
    <message>
        <source>Erase Trace</source>
        <translation>トレースを消去</translation>
    </message>
    <message>
        <source>Erase Traces</source>
        <translation>トレースを消去</translation>
    </message>
    <message>
        <source>Erase session “%1” and its trace for good?</source>
        <translation>セッション「%1」とそのトレースを完全に消去しますか？</translation>
    </message>
    <message>
        <source>Erase session “%1” and its %2 traces for good?</source>
        <translation>セッション「%1」とその %2 件のトレースを完全に消去しますか？</translation>
    </message>
    <message>
        <source>Erase Session</source>
        <translation>セッションを消去</translation>
    </message>
    <message>
        <source>Not imported: %1</source>
        <translation>インポートしませんでした: %1</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ModelPriceTester</name>
    <message>
        <source>Test a model name</source>
        <translation>モデル名をテスト</translation>
    </message>
    <message>
        <source>model name as spans report it, e.g. gpt-4o-2024-11-20</source>
        <translation>スパンが報告するモデル名（例: gpt-4o-2024-11-20）</translation>
    </message>
    <message>
        <source>Input tokens, cached ones included</source>
        <translation>入力トークン（キャッシュ分を含む）</translation>
    </message>
    <message>
        <source>Of the input tokens, how many were read from the prompt cache</source>
        <translation>入力トークンのうちプロンプトキャッシュから読み取られた数</translation>
    </message>
    <message>
        <source>Output tokens, reasoning included</source>
        <translation>出力トークン（推論を含む）</translation>
    </message>
    <message>
        <source>Of the output tokens, how many were reasoning</source>
        <translation>出力トークンのうち推論に使われた数</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>モデル:</translation>
    </message>
    <message>
        <source>Input:</source>
        <translation>入力:</translation>
    </message>
    <message>
        <source>cached:</source>
        <translation>キャッシュ:</translation>
    </message>
    <message>
        <source>Output:</source>
        <translation>出力:</translation>
    </message>
    <message>
        <source>reasoning:</source>
        <translation>推論:</translation>
    </message>
    <message>
        <source>Type a model name to see which row prices it and what a call with these token counts costs.</source>
        <translation>モデル名を入力すると、どの行で価格が決まり、このトークン数の呼び出しがいくらになるかを表示します。</translation>
    </message>
    <message>
        <source>&lt;b&gt;No row prices “%1”.&lt;/b&gt; Its spans get no cost (shown as “no price”, never $0). Add a row to price it.</source>
        <translation>&lt;b&gt;「%1」の価格を決める行はありません。&lt;/b&gt;そのスパンにはコストが付きません（「価格なし」と表示され、$0 にはなりません）。価格を付けるには行を追加してください。</translation>
    </message>
    <message>
        <source>your override</source>
        <translation>あなたの上書き</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>同梱</translation>
    </message>
    <message>
        <source>Priced by row &lt;b&gt;%1&lt;/b&gt; (%2, as of %3) through its %4.</source>
        <translation>行 &lt;b&gt;%1&lt;/b&gt;（%2、%3 時点）の%4によって価格が決まります。</translation>
    </message>
    <message>
        <source>%1 %2 × %3/M</source>
        <translation>%1 %2 × %3/100万</translation>
    </message>
    <message>
        <source>input</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>cached</source>
        <translation>キャッシュ</translation>
    </message>
    <message>
        <source>cache write</source>
        <translation>キャッシュ書き込み</translation>
    </message>
    <message>
        <source>output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>reasoning</source>
        <translation>推論</translation>
    </message>
    <message>
        <source>Cost: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>コスト: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>(long-context tier: more than %1 input tokens)</source>
        <translation>（ロングコンテキスト階層: 入力トークン %1 超）</translation>
    </message>
    <message>
        <source>Spans priced by this row record &lt;code&gt;%1&lt;/code&gt;.</source>
        <translation>この行で価格が決まったスパンには &lt;code&gt;%1&lt;/code&gt; が記録されます。</translation>
    </message>
</context>
<context>
    <name>agentops::ui::PayloadView</name>
    <message>
        <source>System</source>
        <translation>システム</translation>
    </message>
    <message>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>アシスタント</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>ツール</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>No input or output was recorded for this span.</source>
        <translation>このスパンには入力も出力も記録されていません。</translation>
    </message>
    <message>
        <source>Arguments &amp;&amp; Result</source>
        <translation>引数と結果</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>会話</translation>
    </message>
    <message>
        <source>Input &amp;&amp; Output</source>
        <translation>入力と出力</translation>
    </message>
    <message>
        <source>Reading %1 of payload…</source>
        <translation>ペイロード %1 を読み込み中…</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>引数</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>No result: the call failed.</source>
        <translation>結果なし: 呼び出しは失敗しました。</translation>
    </message>
    <message>
        <source>No output: the span failed.</source>
        <translation>出力なし: スパンは失敗しました。</translation>
    </message>
    <message>
        <source>Show all (%1)</source>
        <translation>すべて表示（%1）</translation>
    </message>
    <message>
        <source>finish: %1</source>
        <translation>終了理由: %1</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推論</translation>
    </message>
    <message>
        <source>Tool call</source>
        <translation>ツール呼び出し</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>ツールの結果</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>1 message</source>
        <translation>1 件のメッセージ</translation>
    </message>
    <message>
        <source>%1 messages</source>
        <translation>%1 件のメッセージ</translation>
    </message>
    <message>
        <source>INPUT</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>OUTPUT</source>
        <translation>出力</translation>
    </message>
</context>
<context>
    <name>agentops::ui::PriceEditorDialog</name>
    <message>
        <source>Add…</source>
        <translation>追加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>編集…</translation>
    </message>
    <message>
        <source>Duplicate as override…</source>
        <translation>複製して独自の行に…</translation>
    </message>
    <message>
        <source>Remove override</source>
        <translation>独自の行を削除</translation>
    </message>
    <message>
        <source>Re-price stored traces…</source>
        <translation>保存済みトレースを再計算…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Model prices</source>
        <translation>モデル価格</translation>
    </message>
    <message>
        <source>&lt;b&gt;Your price overrides could not be read; the shipped prices are in use.&lt;/b&gt;&lt;br&gt;%1&lt;br&gt;Saving replaces the file with the rows shown here.</source>
        <translation>&lt;b&gt;独自の価格を読み込めなかったため、同梱の価格を使用しています。&lt;/b&gt;&lt;br&gt;%1&lt;br&gt;保存すると、ファイルはここに表示された行で置き換えられます。</translation>
    </message>
    <message>
        <source>Model calls are priced as they arrive, in USD per million tokens. Shipped rows come with the app; your rows replace a shipped row with the same id or price models it does not list, and win the names they share with it. Dimmed prices are not set by the row and fall back to the input (cache) or output (reasoning) price.</source>
        <translation>モデル呼び出しは到着時に、100 万トークンあたりの USD で価格が付けられます。同梱の行はアプリに含まれています。独自の行は同じ ID の同梱行を置き換えるか、同梱表にないモデルに価格を付け、共通する名前では優先されます。淡色の価格はその行で設定されておらず、入力価格（キャッシュ）または出力価格（推論）が使われます。</translation>
    </message>
    <message>
        <source>Your rows are saved in %1</source>
        <translation>独自の行は %1 に保存されます</translation>
    </message>
    <message>
        <source>Filter by id, provider or model name…</source>
        <translation>ID、プロバイダー、モデル名で絞り込み…</translation>
    </message>
    <message>
        <source>A new row of your own, for a model the shipped table does not price</source>
        <translation>同梱表で価格が付いていないモデル用に独自の行を新規作成</translation>
    </message>
    <message>
        <source>Change your row, or override the selected shipped row with your own prices</source>
        <translation>独自の行を変更するか、選択した同梱行を独自の価格で上書き</translation>
    </message>
    <message>
        <source>A new row of your own with the selected row&apos;s prices, for other model names</source>
        <translation>選択した行の価格で、別のモデル名用に独自の行を新規作成</translation>
    </message>
    <message>
        <source>Remove your row; a shipped row it replaced comes back. Shipped rows cannot be removed, only overridden.</source>
        <translation>独自の行を削除します。置き換えていた同梱行は元に戻ります。同梱行は削除できず、上書きのみできます。</translation>
    </message>
    <message>
        <source>Override</source>
        <translation>上書き</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>同梱</translation>
    </message>
    <message>
        <source>Price the model calls already stored again with the saved prices; trace and dashboard costs follow</source>
        <translation>保存済みのモデル呼び出しを保存した価格で再計算します。トレースとダッシュボードのコストも更新されます</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Override…</source>
        <translation>上書き…</translation>
    </message>
    <message>
        <source>No trace database is open</source>
        <translation>トレースデータベースが開かれていません</translation>
    </message>
    <message>
        <source>Save the prices first: stored traces are re-priced with the saved prices</source>
        <translation>先に価格を保存してください。保存済みトレースは保存した価格で再計算されます</translation>
    </message>
    <message numerus="yes">
        <source>%1 rows: %2 shipped, %Ln of yours</source>
        <translation>
            <numerusform>%1 行: 同梱 %2 行、独自 %Ln 行</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;unsaved changes&lt;/b&gt;</source>
        <translation>&lt;b&gt;未保存の変更あり&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Add a price row</source>
        <translation>価格の行を追加</translation>
    </message>
    <message>
        <source>Edit “%1”</source>
        <translation>「%1」を編集</translation>
    </message>
    <message>
        <source>Override shipped row “%1”</source>
        <translation>同梱行「%1」を上書き</translation>
    </message>
    <message>
        <source>New row from “%1”</source>
        <translation>「%1」から新しい行</translation>
    </message>
    <message>
        <source>The row cannot be added: %1</source>
        <translation>行を追加できません: %1</translation>
    </message>
    <message>
        <source>saved; new spans use these prices</source>
        <translation>保存しました。新しいスパンにはこの価格が使われます</translation>
    </message>
    <message>
        <source>Re-price stored traces?</source>
        <translation>保存済みトレースを再計算しますか?</translation>
    </message>
    <message>
        <source>New spans are priced with these prices from now on. The traces already stored keep the cost they were given when they arrived.</source>
        <translation>今後、新しいスパンにはこの価格が使われます。保存済みのトレースは、到着時に付けられたコストのままです。</translation>
    </message>
    <message>
        <source>Re-pricing updates the cost of every stored model call and the totals of their traces and the dashboard. It can be stopped at any time.</source>
        <translation>再計算すると、保存済みのすべてのモデル呼び出しのコストと、そのトレースおよびダッシュボードの合計が更新されます。いつでも停止できます。</translation>
    </message>
    <message>
        <source>Re-price stored traces</source>
        <translation>保存済みトレースを再計算</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>今はしない</translation>
    </message>
    <message>
        <source>Re-pricing stored model calls…</source>
        <translation>保存済みのモデル呼び出しを再計算中…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Re-pricing stored model calls… %1 of %2</source>
        <translation>保存済みのモデル呼び出しを再計算中… %1 / %2</translation>
    </message>
    <message numerus="yes">
        <source>re-pricing failed after %Ln changed span(s): %1</source>
        <translation>
            <numerusform>%Ln スパンを変更した後に再計算が失敗しました: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>re-pricing stopped: %Ln span(s) re-priced, the others keep their cost</source>
        <translation>
            <numerusform>再計算を停止しました: %Ln スパンを再計算し、残りは元のコストのままです</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>stored traces re-priced: %Ln span(s) changed</source>
        <translation>
            <numerusform>保存済みトレースを再計算しました: %Ln スパンが変更されました</numerusform>
        </translation>
    </message>
    <message>
        <source>Save your changes to the model prices?</source>
        <translation>モデル価格の変更を保存しますか?</translation>
    </message>
</context>
<context>
    <name>agentops::ui::PriceRowDialog</name>
    <message>
        <source>unique, e.g. my-gpt-4o-deployment</source>
        <translation>一意の値（例: my-gpt-4o-deployment）</translation>
    </message>
    <message>
        <source>exact names, comma-separated, e.g. gpt-4o, gpt-4o-2024-11-20</source>
        <translation>完全一致の名前をカンマ区切りで（例: gpt-4o, gpt-4o-2024-11-20）</translation>
    </message>
    <message>
        <source>globs with *, e.g. gpt-4o-20*, */gpt-4o</source>
        <translation>* を使ったパターン（例: gpt-4o-20*, */gpt-4o）</translation>
    </message>
    <message>
        <source>When you last checked these prices against the provider&apos;s list</source>
        <translation>これらの価格をプロバイダーの価格表と最後に照合した日</translation>
    </message>
    <message>
        <source>optional: where the provider publishes these prices</source>
        <translation>任意: プロバイダーがこれらの価格を公開している場所</translation>
    </message>
    <message>
        <source>optional: negotiated rate, region, …</source>
        <translation>任意: 交渉済み料金、リージョンなど</translation>
    </message>
    <message>
        <source>Id:</source>
        <translation>ID:</translation>
    </message>
    <message>
        <source>Provider:</source>
        <translation>プロバイダー:</translation>
    </message>
    <message>
        <source>Model names:</source>
        <translation>モデル名:</translation>
    </message>
    <message>
        <source>Patterns:</source>
        <translation>パターン:</translation>
    </message>
    <message>
        <source>Prices (USD per million tokens)</source>
        <translation>価格（100 万トークンあたりの USD）</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>Cached read</source>
        <translation>キャッシュ読み取り</translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation>キャッシュ書き込み</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推論</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必須</translation>
    </message>
    <message>
        <source>= input</source>
        <translation>= 入力</translation>
    </message>
    <message>
        <source>= output</source>
        <translation>= 出力</translation>
    </message>
    <message>
        <source>Cached tokens are billed once, at their cache price; reasoning tokens at the reasoning price (the output price when empty).</source>
        <translation>キャッシュされたトークンはキャッシュ価格で 1 回だけ、推論トークンは推論価格（空欄なら出力価格）で課金されます。</translation>
    </message>
    <message>
        <source>Long-context tiers</source>
        <translation>ロングコンテキスト階層</translation>
    </message>
    <message>
        <source>Above a number of input tokens (cached included), a tier&apos;s prices replace the base prices for the whole call; empty cells keep the base price.</source>
        <translation>入力トークン数（キャッシュを含む）が一定を超えると、その階層の価格が呼び出し全体の基本価格に代わります。空欄のセルは基本価格のままです。</translation>
    </message>
    <message>
        <source>Above input tokens</source>
        <translation>入力トークン超</translation>
    </message>
    <message>
        <source>Add tier</source>
        <translation>階層を追加</translation>
    </message>
    <message>
        <source>Remove tier</source>
        <translation>階層を削除</translation>
    </message>
    <message>
        <source>As of:</source>
        <translation>時点:</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>メモ:</translation>
    </message>
    <message>
        <source>An override keeps the id of the shipped row it replaces</source>
        <translation>上書きの行は、置き換える同梱行の ID を引き継ぎます</translation>
    </message>
    <message>
        <source>Replaces the shipped row “%1” (%2 input, %3 output, as of %4).</source>
        <translation>同梱行「%1」（入力 %2、出力 %3、%4 時点）を置き換えます。</translation>
    </message>
    <message>
        <source>Input price</source>
        <translation>入力価格</translation>
    </message>
    <message>
        <source>Cached read price</source>
        <translation>キャッシュ読み取り価格</translation>
    </message>
    <message>
        <source>Cache write price</source>
        <translation>キャッシュ書き込み価格</translation>
    </message>
    <message>
        <source>Output price</source>
        <translation>出力価格</translation>
    </message>
    <message>
        <source>Reasoning price</source>
        <translation>推論価格</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>プロバイダー</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>時点</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>メモ</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>価格</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>階層</translation>
    </message>
    <message>
        <source>Tier %1</source>
        <translation>階層 %1</translation>
    </message>
    <message>
        <source>Tier %1, above input tokens</source>
        <translation>階層 %1、入力トークン超</translation>
    </message>
    <message>
        <source>Tier %1 prices</source>
        <translation>階層 %1 の価格</translation>
    </message>
    <message>
        <source>Tier %1, %2</source>
        <translation>階層 %1、%2</translation>
    </message>
    <message>
        <source>Model names</source>
        <translation>モデル名</translation>
    </message>
    <message>
        <source>Patterns</source>
        <translation>パターン</translation>
    </message>
    <message>
        <source>Id: “%1” is already the id of another of your rows</source>
        <translation>ID: 「%1」は既に別の独自の行の ID です</translation>
    </message>
    <message>
        <source>Model names: “%1” is already listed by your row “%2”</source>
        <translation>モデル名: 「%1」は既に独自の行「%2」に含まれています</translation>
    </message>
    <message>
        <source>Patterns: “%1” is already listed by your row “%2”</source>
        <translation>パターン: 「%1」は既に独自の行「%2」に含まれています</translation>
    </message>
</context>
<context>
    <name>agentops::ui::PriceTableModel</name>
    <message>
        <source>above %1</source>
        <translation>%1 超</translation>
    </message>
    <message numerus="yes">
        <source> (+%n more)</source>
        <translation>
            <numerusform> （他 %n 件）</numerusform>
        </translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>同梱</translation>
    </message>
    <message>
        <source>Override</source>
        <translation>上書き</translation>
    </message>
    <message>
        <source>Spans priced by this row record “%1”.</source>
        <translation>この行で価格が決まったスパンには「%1」が記録されます。</translation>
    </message>
    <message>
        <source>Prices published at %1</source>
        <translation>価格の公開元: %1</translation>
    </message>
    <message>
        <source>Exact names:</source>
        <translation>完全一致の名前:</translation>
    </message>
    <message>
        <source>Patterns (* = any characters):</source>
        <translation>パターン（* = 任意の文字列）:</translation>
    </message>
    <message>
        <source>Not set: reasoning tokens are billed at the output price</source>
        <translation>未設定: 推論トークンは出力価格で課金されます</translation>
    </message>
    <message>
        <source>Not set: billed at the input price</source>
        <translation>未設定: 入力価格で課金されます</translation>
    </message>
    <message>
        <source>Comes with the app; override it to change its prices</source>
        <translation>アプリに同梱されています。価格を変えるには上書きしてください</translation>
    </message>
    <message>
        <source>Your row, in place of the shipped row with the same id</source>
        <translation>同じ ID の同梱行に代わる独自の行</translation>
    </message>
    <message>
        <source>Your row, added to the shipped table</source>
        <translation>同梱表に追加された独自の行</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>プロバイダー</translation>
    </message>
    <message>
        <source>Models / patterns</source>
        <translation>モデル / パターン</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>Cached read</source>
        <translation>キャッシュ読み取り</translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation>キャッシュ書き込み</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推論</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>階層</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>時点</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>ソース</translation>
    </message>
    <message>
        <source>USD per million tokens</source>
        <translation>100 万トークンあたりの USD</translation>
    </message>
</context>
<context>
    <name>agentops::ui::RedactionSettings</name>
    <message>
        <source>E-mail addresses</source>
        <translation>メールアドレス</translation>
    </message>
    <message>
        <source>API keys (sk-…, AKIA…, ghp_…, xox…)</source>
        <translation>API キー (sk-…, AKIA…, ghp_…, xox…)</translation>
    </message>
    <message>
        <source>Bearer tokens</source>
        <translation>Bearer トークン</translation>
    </message>
    <message>
        <source>JSON Web Tokens</source>
        <translation>JSON Web Token</translation>
    </message>
    <message>
        <source>Card numbers (Luhn-checked)</source>
        <translation>カード番号 (Luhn 検査済み)</translation>
    </message>
    <message>
        <source>Redact secrets and personal data before traces are stored</source>
        <translation>トレースを保存する前に秘密情報と個人データを伏せる</translation>
    </message>
    <message>
        <source>Add Rule</source>
        <translation>ルールを追加</translation>
    </message>
    <message>
        <source>Remove Rule</source>
        <translation>ルールを削除</translation>
    </message>
    <message>
        <source>What matches is replaced by [REDACTED:&lt;rule&gt;] in every trace received from now on: prompts, completions, tool arguments and results, attributes, events, names and status messages. Traces already stored are not changed.</source>
        <translation>一致した部分は、これから受信するすべてのトレースで [REDACTED:&lt;rule&gt;] に置き換えられます: プロンプト、応答、ツールの引数と結果、属性、イベント、名前、ステータスメッセージ。保存済みのトレースは変更されません。</translation>
    </message>
    <message>
        <source>Built-in patterns</source>
        <translation>組み込みパターン</translation>
    </message>
    <message>
        <source>Rules of your own</source>
        <translation>独自のルール</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Pattern (RE2)</source>
        <translation>パターン (RE2)</translation>
    </message>
    <message>
        <source>Attribute keys</source>
        <translation>属性キー</translation>
    </message>
    <message>
        <source>A pattern alone is replaced wherever it matches; with attribute keys (separated by commas) only in those attributes&apos; values. Keys without a pattern replace those attributes&apos; whole values.</source>
        <translation>パターンだけの場合は一致するすべての箇所が置き換えられます。属性キー (カンマ区切り) を指定すると、それらの属性の値の中だけです。パターンのないキーは、その属性の値全体を置き換えます。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Nothing redacted since AgentOps Monitor started.</source>
        <translation>AgentOps Monitor の起動以降、伏せられたものはありません。</translation>
    </message>
    <message>
        <source>Redacted since AgentOps Monitor started — %1</source>
        <translation>AgentOps Monitor の起動以降に伏せたもの — %1</translation>
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
        <translation>セッション</translation>
    </message>
    <message>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>Last active</source>
        <translation>最終活動</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>所要時間</translation>
    </message>
    <message>
        <source>Traces</source>
        <translation>トレース</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>スパン</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>トークン</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>コスト</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SessionsPage</name>
    <message>
        <source>Select a session to see its traces</source>
        <translation>セッションを選択するとトレースが表示されます</translation>
    </message>
    <message>
        <source>Session %1 — 1 trace</source>
        <translation>セッション %1 — 1 トレース</translation>
    </message>
    <message>
        <source>Session %1 — %2 traces, oldest first</source>
        <translation>セッション %1 — %2 トレース（古い順）</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>127.0.0.1 accepts only this computer; 0.0.0.0 accepts the whole network, without authentication.</source>
        <translation>127.0.0.1 はこのコンピューターからのみ受け付けます。0.0.0.0 はネットワーク全体から認証なしで受け付けます。</translation>
    </message>
    <message>
        <source>Embedded receiver</source>
        <translation>内蔵レシーバー</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>アドレス:</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>ストレージ</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>データベース:</translation>
    </message>
    <message>
        <source>Exporters send to: &lt;b&gt;http://%1:%2/v1/traces&lt;/b&gt;</source>
        <translation>エクスポーターの送信先: &lt;b&gt;http://%1:%2/v1/traces&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Receiving is off; stored traces stay available.</source>
        <translation>受信はオフです。保存済みのトレースは引き続き利用できます。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>システムの既定</translation>
    </message>
    <message>
        <source>A new language takes effect the next time AgentOps Monitor starts.</source>
        <translation>新しい言語は次回 AgentOps Monitor を起動したときに反映されます。</translation>
    </message>
    <message>
        <source>Interface language:</source>
        <translation>表示言語:</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外観</translation>
    </message>
    <message>
        <source>System (follow the desktop)</source>
        <translation>システム（デスクトップに合わせる）</translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation>テーマ:</translation>
    </message>
    <message>
        <source>Receive traces from agents on this computer</source>
        <translation>このコンピューター上のエージェントからトレースを受信</translation>
    </message>
    <message>
        <source>OTLP/gRPC port:</source>
        <translation>OTLP/gRPC ポート:</translation>
    </message>
    <message>
        <source>Also receive OTLP/gRPC (OTEL_EXPORTER_OTLP_PROTOCOL=grpc) on the same address.</source>
        <translation>同じアドレスで OTLP/gRPC（OTEL_EXPORTER_OTLP_PROTOCOL=grpc）も受信します。</translation>
    </message>
    <message>
        <source>OTLP/HTTP port:</source>
        <translation>OTLP/HTTP ポート:</translation>
    </message>
    <message>
        <source>OTLP/HTTP and OTLP/gRPC need ports of their own.</source>
        <translation>OTLP/HTTP と OTLP/gRPC には別々のポートが必要です。</translation>
    </message>
    <message>
        <source>Exporters send to &lt;b&gt;http://%1:%2/v1/traces&lt;/b&gt; (OTLP/HTTP)&lt;br&gt;or &lt;b&gt;http://%1:%3&lt;/b&gt; (OTLP/gRPC)</source>
        <translation>エクスポーターの送信先: &lt;b&gt;http://%1:%2/v1/traces&lt;/b&gt;（OTLP/HTTP）&lt;br&gt;または &lt;b&gt;http://%1:%3&lt;/b&gt;（OTLP/gRPC）</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>全般(&amp;G)</translation>
    </message>
    <message>
        <source>A&amp;lerts</source>
        <translation>アラート(&amp;L)</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>サイズ:</translation>
    </message>
    <message>
        <source>Keep all</source>
        <translation>すべて保持</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 日</translation>
    </message>
    <message>
        <source>Traces that started longer ago than this are deleted, whole (hourly).</source>
        <translation>これより前に始まったトレースは、丸ごと削除されます（1 時間ごと）。</translation>
    </message>
    <message>
        <source>Delete traces older than:</source>
        <translation>これより古いトレースを削除:</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>上限なし</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>Redaction</source>
        <translation>伏せ字</translation>
    </message>
    <message>
        <source>Not measured yet</source>
        <translation>未計測</translation>
    </message>
    <message>
        <source>%1 (database %2, search index %3)</source>
        <translation>%1（データベース %2、検索インデックス %3）</translation>
    </message>
    <message>
        <source>%1; %2 free on its disk</source>
        <translation>%1、ディスクの空き %2</translation>
    </message>
    <message>
        <source>Counted: the database, its logs and the search index&apos;s share of the traces. Above this size the oldest traces are deleted, whole, until what is counted is below 90 % of it; the space they took is reused for new traces (the files do not shrink).</source>
        <translation>数える対象: データベース、そのログ、トレースに対する検索インデックスの分。このサイズを超えると、数えた量がその 90 % を下回るまで最も古いトレースを丸ごと削除します。空いた領域は新しいトレースに再利用されます (ファイルは縮みません)。</translation>
    </message>
    <message>
        <source>Keep the files within:</source>
        <translation>ファイルの上限:</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ShortcutsDialog</name>
    <message>
        <source>Window</source>
        <translation>ウィンドウ</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>キーボードショートカット</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>キー</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SignInDialog</name>
    <message>
        <source>Email and password</source>
        <translation>メールアドレスとパスワード</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API キー</translation>
    </message>
    <message>
        <source>&amp;Project:</source>
        <translation>プロジェクト(&amp;P):</translation>
    </message>
    <message>
        <source>&amp;Sign In</source>
        <translation>サインイン(&amp;S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Work &amp;Offline</source>
        <translation>オフラインで作業(&amp;O)</translation>
    </message>
    <message>
        <source>Sign In to a Team Server</source>
        <translation>チームサーバーにサインイン</translation>
    </message>
    <message>
        <source>Sign in to an AgentOps server to read your team&apos;s traces. The sign-in is kept in the system keychain.</source>
        <translation>AgentOps サーバーにサインインして、チームのトレースを表示します。サインイン情報はシステムのキーチェーンに保存されます。</translation>
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
        <translation>作成時に表示されたキーを貼り付け</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>メールアドレス(&amp;E):</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>パスワード(&amp;W):</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>キー(&amp;K):</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <source>Choose the CA certificate file</source>
        <translation>CA 証明書ファイルを選択</translation>
    </message>
    <message>
        <source>Se&amp;rver:</source>
        <translation>サーバー(&amp;R):</translation>
    </message>
    <message>
        <source>Sign in with:</source>
        <translation>サインイン方法:</translation>
    </message>
    <message>
        <source>&amp;CA file:</source>
        <translation>CA ファイル(&amp;C):</translation>
    </message>
    <message>
        <source>Close and keep using the traces stored on this computer</source>
        <translation>閉じて、このコンピューターに保存されたトレースを引き続き使う</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, e.g. https://agentops.example.com.</source>
        <translation>サーバーのアドレスを入力してください（例: https://agentops.example.com）。</translation>
    </message>
    <message>
        <source>“%1” is not a server address: it must start with https:// (or http://).</source>
        <translation>「%1」はサーバーのアドレスではありません: https://（または http://）で始まる必要があります。</translation>
    </message>
    <message>
        <source>“%1” names no host.</source>
        <translation>「%1」にはホストが含まれていません。</translation>
    </message>
    <message>
        <source>“%1” is not a valid server address.</source>
        <translation>「%1」は有効なサーバーのアドレスではありません。</translation>
    </message>
    <message>
        <source>⚠ Plain http: the password and the session token cross the network unencrypted. Use https unless the network is trusted.</source>
        <translation>⚠ 暗号化されていない http: パスワードとセッショントークンが暗号化されずにネットワークを流れます。信頼できるネットワークでない限り https を使ってください。</translation>
    </message>
    <message>
        <source>CA Certificate</source>
        <translation>CA 証明書</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>証明書 (*.pem *.crt *.cer);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Signing In…</source>
        <translation>サインイン中…</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>続行(&amp;C)</translation>
    </message>
    <message>
        <source>Enter the API key.</source>
        <translation>API キーを入力してください。</translation>
    </message>
    <message>
        <source>Enter your email address.</source>
        <translation>メールアドレスを入力してください。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>パスワードを入力してください。</translation>
    </message>
    <message>
        <source>The CA file %1 cannot be read.</source>
        <translation>CA ファイル %1 を読み込めません。</translation>
    </message>
    <message>
        <source>Sign-in cancelled.</source>
        <translation>サインインを中止しました。</translation>
    </message>
    <message>
        <source>The server did not accept this API key (wrong, revoked or expired).</source>
        <translation>サーバーはこの API キーを受け付けませんでした（誤り、取り消し済み、または期限切れ）。</translation>
    </message>
    <message>
        <source>Wrong email or password.</source>
        <translation>メールアドレスまたはパスワードが違います。</translation>
    </message>
    <message>
        <source>This account may not use the server: %1</source>
        <translation>このアカウントはサーバーを利用できません: %1</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted (%1). If the server uses a private certificate authority, choose its CA file.</source>
        <translation>サーバーの証明書は信頼されていません（%1）。サーバーがプライベート認証局を使っている場合は、その CA ファイルを選択してください。</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>%1 に接続できません: %2</translation>
    </message>
    <message>
        <source>The server reported an error: %1</source>
        <translation>サーバーがエラーを報告しました: %1</translation>
    </message>
    <message>
        <source>Sign-in failed: %1</source>
        <translation>サインインに失敗しました: %1</translation>
    </message>
    <message>
        <source>Signed in. This account has %1 projects: choose the one to show.</source>
        <translation>サインインしました。このアカウントには %1 個のプロジェクトがあります。表示するものを選んでください。</translation>
    </message>
    <message>
        <source>Optional: CA certificate (PEM) of a private CA</source>
        <translation>任意: プライベート CA の CA 証明書（PEM）</translation>
    </message>
    <message>
        <source>&amp;Remove Server…</source>
        <translation>サーバーを削除(&amp;R)…</translation>
    </message>
    <message>
        <source>Forget this server and delete its sign-in from the keychain</source>
        <translation>このサーバーを忘れ、サインイン情報をキーチェーンから削除します</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SourceController</name>
    <message>
        <source>Where the traces come from: this computer or a team server</source>
        <translation>トレースの取得元: このコンピューターまたはチームサーバー</translation>
    </message>
    <message>
        <source>Your session on %1 has ended. Sign in again to go on where you were.</source>
        <translation>%1 のセッションが終了しました。続きから作業するには再度サインインしてください。</translation>
    </message>
    <message>
        <source>Showing the traces stored on this computer</source>
        <translation>このコンピューターに保存されたトレースを表示しています</translation>
    </message>
    <message>
        <source>Signing in to %1…</source>
        <translation>%1 にサインイン中…</translation>
    </message>
    <message>
        <source>Sign in to %1.</source>
        <translation>%1 にサインインしてください。</translation>
    </message>
    <message>
        <source>The saved sign-in for %1 could not be read from the keychain (%2). Sign in again.</source>
        <translation>%1 の保存済みサインイン情報をキーチェーンから読み込めませんでした（%2）。再度サインインしてください。</translation>
    </message>
    <message>
        <source>Signed in to %1</source>
        <translation>%1 にサインインしました</translation>
    </message>
    <message>
        <source>The saved sign-in for %1 is no longer valid. Sign in again.</source>
        <translation>%1 の保存済みサインイン情報は無効になりました。再度サインインしてください。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Signed in to %1, but the keychain could not keep the sign-in: %2</source>
        <translation>%1 にサインインしましたが、キーチェーンにサインイン情報を保存できませんでした: %2</translation>
    </message>
    <message>
        <source>Signed out of %1</source>
        <translation>%1 からサインアウトしました</translation>
    </message>
    <message>
        <source>Local (this computer)</source>
        <translation>ローカル（このコンピューター）</translation>
    </message>
    <message>
        <source>%1 (API key)</source>
        <translation>%1（API キー）</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>&amp;Add Server…</source>
        <translation>サーバーを追加(&amp;A)…</translation>
    </message>
    <message>
        <source>Sign &amp;Out</source>
        <translation>サインアウト(&amp;O)</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>ローカル</translation>
    </message>
    <message>
        <source>Remove Server</source>
        <translation>サーバーを削除</translation>
    </message>
    <message>
        <source>Remove %1 (%2) from the saved servers?</source>
        <translation>保存済みサーバーから %1（%2）を削除しますか？</translation>
    </message>
    <message>
        <source>Its sign-in is deleted from the system keychain. The traces stay on the server; sign in again to see them.</source>
        <translation>サインイン情報はシステムのキーチェーンから削除されます。トレースはサーバーに残ります。見るには再度サインインしてください。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Removed %1 and its saved sign-in</source>
        <translation>%1 と保存済みサインイン情報を削除しました</translation>
    </message>
    <message>
        <source>Removed %1, but its sign-in could not be deleted from the keychain: %2</source>
        <translation>%1 を削除しましたが、サインイン情報をキーチェーンから削除できませんでした: %2</translation>
    </message>
    <message>
        <source>&amp;Remove Server</source>
        <translation>サーバーを削除(&amp;R)</translation>
    </message>
    <message>
        <source>%1 (API key)…</source>
        <translation>%1（API キー）…</translation>
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
        <translation>エージェント</translation>
    </message>
    <message>
        <source>LLM</source>
        <translation>LLM</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>ツール</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>チェーン</translation>
    </message>
    <message>
        <source>Retriever</source>
        <translation>リトリーバー</translation>
    </message>
    <message>
        <source>Embedding</source>
        <translation>埋め込み</translation>
    </message>
    <message>
        <source>Guardrail</source>
        <translation>ガードレール</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>評価器</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>スパン</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <source>Copy %1</source>
        <translation>%1 をコピー</translation>
    </message>
    <message>
        <source>Select a span to see its details.</source>
        <translation>スパンを選択すると詳細が表示されます。</translation>
    </message>
    <message>
        <source>No resource attributes</source>
        <translation>リソース属性なし</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概要</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>会話</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>イベント</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>リソース</translation>
    </message>
    <message>
        <source>Attributes (%1)</source>
        <translation>属性（%1）</translation>
    </message>
    <message>
        <source>Events (%1)</source>
        <translation>イベント（%1）</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Unset</source>
        <translation>未設定</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>The span ended with an error status and no message.</source>
        <translation>このスパンはメッセージのないエラーステータスで終了しました。</translation>
    </message>
    <message>
        <source>Timing</source>
        <translation>タイミング</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>所要時間</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>リクエスト</translation>
    </message>
    <message>
        <source>Responded</source>
        <translation>レスポンス</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>プロバイダー</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>トークン</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>of which cache read</source>
        <translation>うちキャッシュ読み取り</translation>
    </message>
    <message>
        <source>of which cache write</source>
        <translation>うちキャッシュ書き込み</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>of which reasoning</source>
        <translation>うち推論</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合計</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>コスト</translation>
    </message>
    <message>
        <source>No price is known for this model, so no cost is counted.</source>
        <translation>このモデルの価格は不明なため、コストは計上されません。</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>コンテキスト</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>サービス</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>スコープ</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>セッション</translation>
    </message>
    <message>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>Identifiers</source>
        <translation>識別子</translation>
    </message>
    <message>
        <source>Trace ID</source>
        <translation>トレース ID</translation>
    </message>
    <message>
        <source>Span ID</source>
        <translation>スパン ID</translation>
    </message>
    <message>
        <source>Parent ID</source>
        <translation>親 ID</translation>
    </message>
    <message>
        <source>Links</source>
        <translation>リンク</translation>
    </message>
    <message>
        <source>1 linked span</source>
        <translation>リンクされたスパン 1 件</translation>
    </message>
    <message>
        <source>%1 linked spans</source>
        <translation>リンクされたスパン %1 件</translation>
    </message>
    <message>
        <source>Dropped</source>
        <translation>破棄</translation>
    </message>
    <message>
        <source>%1 attributes, %2 events, %3 links</source>
        <translation>属性 %1 件、イベント %2 件、リンク %3 件</translation>
    </message>
    <message>
        <source>No events were recorded for this span.</source>
        <translation>このスパンにはイベントが記録されていません。</translation>
    </message>
    <message>
        <source>the sum of the model calls below; counted once, on them</source>
        <translation>配下のモデル呼び出しの合計（合計では各呼び出し側で一度だけ数えます）</translation>
    </message>
    <message>
        <source>This span repeats the usage of the model calls it contains. Trace, session and dashboard totals count each call once, on the call&apos;s own span.</source>
        <translation>このスパンは、含まれるモデル呼び出しの使用量を繰り返しています。トレース・セッション・ダッシュボードの合計では、各呼び出しをそのスパンで一度だけ数えます。</translation>
    </message>
    <message>
        <source>$%1, as reported by the producer</source>
        <translation>$%1（送信元が報告した値）</translation>
    </message>
    <message>
        <source>$%1, priced by %2</source>
        <translation>$%1（%2 の価格で計算）</translation>
    </message>
</context>
<context>
    <name>agentops::ui::StepDiffModel</name>
    <message>
        <source>same</source>
        <translation>同じ</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>変更</translation>
    </message>
    <message>
        <source>added</source>
        <translation>追加</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>status</source>
        <translation>ステータス</translation>
    </message>
    <message>
        <source>message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>トークン</translation>
    </message>
    <message>
        <source>cost</source>
        <translation>コスト</translation>
    </message>
    <message>
        <source>input</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>Run A</source>
        <translation>実行 A</translation>
    </message>
    <message>
        <source>Run B</source>
        <translation>実行 B</translation>
    </message>
    <message>
        <source>Δ Duration</source>
        <translation>Δ 所要時間</translation>
    </message>
    <message>
        <source>Δ Tokens</source>
        <translation>Δ トークン</translation>
    </message>
    <message>
        <source>Δ Cost</source>
        <translation>Δ コスト</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>変更点</translation>
    </message>
    <message>
        <source>The sum of the calls below; counted once, on them</source>
        <translation>配下の呼び出しの合計。集計はそれらの呼び出しで一度だけ</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TimeRange</name>
    <message>
        <source>Last 15 minutes</source>
        <translation>過去 15 分</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>過去 1 時間</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>過去 24 時間</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>過去 7 日間</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>過去 30 日間</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>全期間</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>カスタム…</translation>
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
        <translation>トレース開始時刻の範囲（ダッシュボードとトレース画面で共通）</translation>
    </message>
    <message>
        <source>From (trace start)</source>
        <translation>開始（トレース開始時刻）</translation>
    </message>
    <message>
        <source>To (trace start, exclusive)</source>
        <translation>終了（トレース開始時刻、この時刻を含まない）</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceEraser</name>
    <message>
        <source>Everything it holds (spans, prompts, responses, attributes) is deleted from the local database, its write-ahead log and the search index, and the dashboard&apos;s totals no longer count it. This cannot be undone; a backup made earlier still holds it.</source>
        <translation>含まれるすべて（スパン、プロンプト、応答、属性）がローカルデータベース、その先行書き込みログ、検索インデックスから削除され、ダッシュボードの合計にも含まれなくなります。元に戻すことはできません。以前に作成したバックアップには残ります。</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>消去</translation>
    </message>
    <message>
        <source>Could not erase: %1</source>
        <translation>消去できませんでした：%1</translation>
    </message>
    <message>
        <source>Nothing to erase: the traces were already gone</source>
        <translation>消去するものはありません：トレースはすでに削除されています</translation>
    </message>
    <message>
        <source>Erased 1 trace (%1 spans)</source>
        <translation>1 件のトレースを消去しました（%1 スパン）</translation>
    </message>
    <message>
        <source>Erased %1 traces (%2 spans)</source>
        <translation>%1 件のトレースを消去しました（%2 スパン）</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceFileImporter</name>
    <message>
        <source>Import Traces</source>
        <translation>トレースをインポート</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>%1 をインポート中…</translation>
    </message>
    <message>
        <source>Importing %1 files…</source>
        <translation>%1 個のファイルをインポート中…</translation>
    </message>
    <message>
        <source>Import cancelled; %1 spans were imported before.</source>
        <translation>インポートを中止しました。それまでに %1 スパンがインポートされました。</translation>
    </message>
    <message>
        <source>%1 spans from the other files were imported.</source>
        <translation>他のファイルから %1 スパンをインポートしました。</translation>
    </message>
    <message>
        <source>Import Failed</source>
        <translation>インポートに失敗しました</translation>
    </message>
    <message>
        <source>Could not import a trace file.</source>
        <translation>トレースファイルをインポートできませんでした。</translation>
    </message>
    <message>
        <source>Could not import some trace files.</source>
        <translation>一部のトレースファイルをインポートできませんでした。</translation>
    </message>
    <message>
        <source>Import Finished</source>
        <translation>インポートが完了しました</translation>
    </message>
    <message>
        <source>%1 spans were imported; some parts of the files were left out.</source>
        <translation>%1 スパンをインポートしました。ファイルの一部は除外されました。</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceFilterBar</name>
    <message>
        <source>Errors only</source>
        <translation>エラーのみ</translation>
    </message>
    <message>
        <source>All services</source>
        <translation>すべてのサービス</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>すべてのモデル</translation>
    </message>
    <message>
        <source>≥ </source>
        <translation>≥ </translation>
    </message>
    <message>
        <source>Any duration</source>
        <translation>所要時間を問わない</translation>
    </message>
    <message>
        <source>Minimum trace duration</source>
        <translation>トレースの最小所要時間</translation>
    </message>
    <message>
        <source>Only the traces of the dashboard bucket you chose; click to show the whole time range again</source>
        <translation>ダッシュボードで選んだ区間のトレースのみ。クリックすると期間全体を再び表示します</translation>
    </message>
    <message>
        <source>Only %1 – %2</source>
        <translation>%1 – %2 のみ</translation>
    </message>
    <message>
        <source>service %1</source>
        <translation>サービス %1</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>モデル %1</translation>
    </message>
    <message>
        <source>at least %1</source>
        <translation>%1 以上</translation>
    </message>
    <message>
        <source>errors only</source>
        <translation>エラーのみ</translation>
    </message>
    <message>
        <source>Search: text, tool:name, status:error…</source>
        <translation>検索: テキスト、tool:名前、status:error…</translation>
    </message>
    <message>
        <source>Finds traces by what their spans say: prompts, completions, tool arguments and results, errors, attributes (any case, any part of a word, at least 3 characters).
&quot;a phrase&quot;   a AND b   a OR b   NOT a   -a   ( )
tool:get_weather   model:gpt-4o   name:…   kind:llm   status:error   session:ID</source>
        <translation>スパンの内容でトレースを検索します: プロンプト、応答、ツールの引数と結果、エラー、属性 (大文字小文字を区別せず、語の一部でも可、3 文字以上)。
&quot;フレーズ&quot;   a AND b   a OR b   NOT a   -a   ( )
tool:get_weather   model:gpt-4o   name:…   kind:llm   status:error   session:ID</translation>
    </message>
    <message>
        <source>matching “%1”</source>
        <translation>「%1」に一致</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceListPage</name>
    <message>
        <source>Clear filters</source>
        <translation>フィルターをクリア</translation>
    </message>
    <message>
        <source>Show all time</source>
        <translation>全期間を表示</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>the dashboard bucket</source>
        <translation>ダッシュボードの区間</translation>
    </message>
    <message>
        <source>1 imported trace is outside the time range (%1).</source>
        <translation>インポートしたトレース 1 件が期間（%1）の外にあります。</translation>
    </message>
    <message>
        <source>%1 imported traces are outside the time range (%2).</source>
        <translation>インポートしたトレース %1 件が期間（%2）の外にあります。</translation>
    </message>
    <message>
        <source>No traces match the filters</source>
        <translation>フィルターに一致するトレースはありません</translation>
    </message>
    <message>
        <source>The search cannot be run</source>
        <translation>この検索は実行できません</translation>
    </message>
    <message>
        <source>A word of one or two characters is looked for in trace names only; spans are searched for three or more (東京の, not 東京).</source>
        <translation>1〜2 文字の語はトレース名だけから探します。スパンの内容は 3 文字以上で検索されます (東京 ではなく 東京の)。</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceRankModel</name>
    <message>
        <source>(unnamed)</source>
        <translation>（名前なし）</translation>
    </message>
    <message>
        <source>Double-click to open the trace</source>
        <translation>ダブルクリックでトレースを開く</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>トレース</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>サービス</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>所要時間</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>トークン</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>コスト</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceTableModel</name>
    <message>
        <source>(unnamed)</source>
        <translation>（名前なし）</translation>
    </message>
    <message>
        <source>%1
Trace %2</source>
        <translation>%1
トレース %2</translation>
    </message>
    <message>
        <source>Input %1 · output %2 · cache read %3 · reasoning %4</source>
        <translation>入力 %1 · 出力 %2 · キャッシュ読み取り %3 · 推論 %4</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>サービス</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>所要時間</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>スパン</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>トークン</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>コスト</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>セッション</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>一致箇所</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceViewPage</name>
    <message>
        <source>Back</source>
        <translation>戻る</translation>
    </message>
    <message>
        <source>No trace open</source>
        <translation>トレースが開かれていません</translation>
    </message>
    <message>
        <source>Cannot load the trace</source>
        <translation>トレースを読み込めません</translation>
    </message>
    <message>
        <source>Loading trace…</source>
        <translation>トレースを読み込み中…</translation>
    </message>
    <message>
        <source>Trace not found</source>
        <translation>トレースが見つかりません</translation>
    </message>
    <message>
        <source>(unnamed trace)</source>
        <translation>（名前のないトレース）</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>サービス</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>所要時間</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>スパン</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>トークン</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>コスト</translation>
    </message>
    <message>
        <source>Back to the page the trace was opened from (Esc, Alt+Left)</source>
        <translation>トレースを開いたページに戻る（Esc、Alt+←）</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>トレース</translation>
    </message>
</context>
<context>
    <name>agentops::ui::WaterfallDelegate</name>
    <message>
        <source>parent missing</source>
        <translation>親なし</translation>
    </message>
</context>
<context>
    <name>agentops::ui::WaterfallMinimap</name>
    <message>
        <source>1 span</source>
        <translation>1 スパン</translation>
    </message>
    <message>
        <source>%1 spans</source>
        <translation>%1 スパン</translation>
    </message>
    <message>
        <source>1 error</source>
        <translation>エラー 1 件</translation>
    </message>
    <message>
        <source>%1 errors</source>
        <translation>エラー %1 件</translation>
    </message>
</context>
<context>
    <name>agentops::ui::WaterfallModel</name>
    <message>
        <source>agent</source>
        <translation>エージェント</translation>
    </message>
    <message>
        <source>LLM</source>
        <translation>LLM</translation>
    </message>
    <message>
        <source>tool</source>
        <translation>ツール</translation>
    </message>
    <message>
        <source>chain</source>
        <translation>チェーン</translation>
    </message>
    <message>
        <source>retriever</source>
        <translation>リトリーバー</translation>
    </message>
    <message>
        <source>embedding</source>
        <translation>埋め込み</translation>
    </message>
    <message>
        <source>guardrail</source>
        <translation>ガードレール</translation>
    </message>
    <message>
        <source>evaluator</source>
        <translation>評価器</translation>
    </message>
    <message>
        <source>other</source>
        <translation>その他</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>スパン</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>所要時間</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種別</translation>
    </message>
    <message>
        <source>Starts at</source>
        <translation>開始位置</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>プロバイダー</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>ツール</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>トークン</translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation>入力 %1 · 出力 %2</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>コスト</translation>
    </message>
    <message>
        <source>error</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>unset</source>
        <translation>未設定</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>ステータス</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>親</translation>
    </message>
    <message>
        <source>missing from the trace</source>
        <translation>トレースに存在しません</translation>
    </message>
    <message>
        <source>Critical path</source>
        <translation>クリティカルパス</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>はい</translation>
    </message>
</context>
<context>
    <name>agentops::ui::WaterfallView</name>
    <message>
        <source>Critical path</source>
        <translation>クリティカルパス</translation>
    </message>
    <message>
        <source>Highlight the spans that determined the trace&apos;s duration</source>
        <translation>トレースの所要時間を決めたスパンを強調表示</translation>
    </message>
    <message>
        <source>Expand all</source>
        <translation>すべて展開</translation>
    </message>
    <message>
        <source>Expand all spans (Ctrl+E)</source>
        <translation>すべてのスパンを展開（Ctrl+E）</translation>
    </message>
    <message>
        <source>Collapse all</source>
        <translation>すべて折りたたむ</translation>
    </message>
    <message>
        <source>Collapse all spans (Ctrl+Shift+E)</source>
        <translation>すべてのスパンを折りたたむ（Ctrl+Shift+E）</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>ズームをリセット</translation>
    </message>
    <message>
        <source>Show the whole trace (Ctrl+0, Esc, or double-click the time line)</source>
        <translation>トレース全体を表示（Ctrl+0、Esc、またはタイムラインをダブルクリック）</translation>
    </message>
    <message>
        <source>Highlight Critical Path</source>
        <translation>クリティカルパスを強調表示</translation>
    </message>
    <message>
        <source>Loading %1 spans…</source>
        <translation>%1 スパンを読み込み中…</translation>
    </message>
    <message>
        <source>No trace selected</source>
        <translation>トレースが選択されていません</translation>
    </message>
    <message>
        <source>No spans match “%1”</source>
        <translation>「%1」に一致するスパンはありません</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>一致なし</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1 件一致</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <translation>%1 件一致</translation>
    </message>
    <message>
        <source>Zoom to Span</source>
        <translation>スパンにズーム</translation>
    </message>
    <message>
        <source>Expand Subtree</source>
        <translation>サブツリーを展開</translation>
    </message>
    <message>
        <source>Collapse Subtree</source>
        <translation>サブツリーを折りたたむ</translation>
    </message>
    <message>
        <source>Expand All</source>
        <translation>すべて展開</translation>
    </message>
    <message>
        <source>Collapse All</source>
        <translation>すべて折りたたむ</translation>
    </message>
    <message>
        <source>Reset Zoom</source>
        <translation>ズームをリセット</translation>
    </message>
    <message>
        <source>Search spans</source>
        <translation>スパンを検索</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>次の一致</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>前の一致</translation>
    </message>
    <message>
        <source>Expand all spans</source>
        <translation>すべてのスパンを展開</translation>
    </message>
    <message>
        <source>Collapse all spans</source>
        <translation>すべてのスパンを折りたたむ</translation>
    </message>
    <message>
        <source>Zoom in on the time line</source>
        <translation>タイムラインを拡大</translation>
    </message>
    <message>
        <source>Zoom out of the time line</source>
        <translation>タイムラインを縮小</translation>
    </message>
    <message>
        <source>Show the whole trace (reset zoom)</source>
        <translation>トレース全体を表示（ズームをリセット）</translation>
    </message>
    <message>
        <source>Finds spans by name, kind, model, tool, agent, service or error message as you type.
Enter or F3: next match · Shift+Enter or Shift+F3: previous · Esc: clear</source>
        <translation>入力に合わせて、名前、種別、モデル、ツール、エージェント、サービス、エラーメッセージでスパンを検索します。
Enter または F3: 次の一致 · Shift+Enter または Shift+F3: 前の一致 · Esc: クリア</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter, Shift+F3)</source>
        <translation>前の一致（Shift+Enter、Shift+F3）</translation>
    </message>
    <message>
        <source>Next match (Enter, F3)</source>
        <translation>次の一致（Enter、F3）</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>検索中…</translation>
    </message>
    <message>
        <source>Search spans  Ctrl+F</source>
        <translation>スパンを検索  Ctrl+F</translation>
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
            <numerusform>含まれていないもの: 価格不明のモデルのトークンを使った %Ln 個のスパン。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No price is known for the models of the %Ln span(s) that used tokens.</source>
        <translation>
            <numerusform>トークンを使った %Ln 個のスパンのモデルには価格が登録されていません。</numerusform>
        </translation>
    </message>
    <message>
        <source>no price</source>
        <translation>価格なし</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Debug AI agents: receive OpenTelemetry traces and explore them.</source>
        <translation>AI エージェントをデバッグ: OpenTelemetry のトレースを受信して調べます。</translation>
    </message>
    <message>
        <source>Trace database to open (default: %1).</source>
        <translation>開くトレースデータベース（既定: %1）。</translation>
    </message>
    <message>
        <source>Receive OTLP on this port (this run only).</source>
        <translation>このポートで OTLP を受信（今回の起動のみ）。</translation>
    </message>
    <message>
        <source>Do not receive traces (this run only).</source>
        <translation>トレースを受信しない（今回の起動のみ）。</translation>
    </message>
    <message>
        <source>Log every request of the receiver to stderr.</source>
        <translation>レシーバーへのすべてのリクエストを stderr に記録します。</translation>
    </message>
    <message>
        <source>Trace files to import (OTLP JSON, JSON lines, protobuf).</source>
        <translation>インポートするトレースファイル（OTLP JSON、JSON Lines、protobuf）。</translation>
    </message>
    <message>
        <source>AgentOps Monitor</source>
        <translation>AgentOps Monitor</translation>
    </message>
    <message>
        <source>Check the installation: receive one OTLP request on a free port into a temporary database, check that it is stored and listed, and exit (0: passed).</source>
        <translation>インストールを確認: 空いているポートで OTLP リクエストを 1 件受信して一時データベースに保存し、保存と一覧表示を確認して終了します（0: 合格）。</translation>
    </message>
    <message>
        <source>Receive OTLP/gRPC on this port (this run only).</source>
        <translation>このポートで OTLP/gRPC を受信（今回の起動のみ）。</translation>
    </message>
</context>
</TS>
