<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>AlertFormat</name>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Fehlerquote</translation>
    </message>
    <message>
        <source>Cost per hour</source>
        <translation>Kosten pro Stunde</translation>
    </message>
    <message>
        <source>Cost per day</source>
        <translation>Kosten pro Tag</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>p95-Latenz</translation>
    </message>
    <message>
        <source>No traffic</source>
        <translation>Kein Verkehr</translation>
    </message>
    <message>
        <source>All traffic</source>
        <translation>Gesamter Verkehr</translation>
    </message>
    <message>
        <source>Service %1</source>
        <translation>Dienst %1</translation>
    </message>
    <message>
        <source>Agent %1</source>
        <translation>Agent %1</translation>
    </message>
    <message>
        <source>Model %1</source>
        <translation>Modell %1</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>$%1/h</source>
        <translation>%1 $/h</translation>
    </message>
    <message>
        <source>$%1/day</source>
        <translation>%1 $/Tag</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>1 span</source>
        <translation>1 Span</translation>
    </message>
    <message>
        <source>%1 spans</source>
        <translation>%1 Spans</translation>
    </message>
    <message>
        <source>No spans for %1</source>
        <translation>Keine Spans seit %1</translation>
    </message>
    <message>
        <source>At most %1 in %2</source>
        <translation>Höchstens %1 in %2</translation>
    </message>
    <message>
        <source>%1 above %2 over %3</source>
        <translation>%1 über %2 in %3</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Ausgeschaltet</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Not evaluated yet</source>
        <translation>Noch nicht geprüft</translation>
    </message>
    <message>
        <source>Pending since %1</source>
        <translation>Ausstehend seit %1</translation>
    </message>
    <message>
        <source>Firing since %1 (%2)</source>
        <translation>Ausgelöst seit %1 (%2)</translation>
    </message>
    <message>
        <source>Alert: %1</source>
        <translation>Alarm: %1</translation>
    </message>
    <message>
        <source>Resolved: %1</source>
        <translation>Behoben: %1</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>keine Daten</translation>
    </message>
    <message>
        <source>%1: %2 in the last %3 (at most %4)</source>
        <translation>%1: %2 in den letzten %3 (höchstens %4)</translation>
    </message>
    <message>
        <source>%1: %2 %3 over %4 (threshold %5)</source>
        <translation>%1: %2 %3 in %4 (Schwelle %5)</translation>
    </message>
</context>
<context>
    <name>LocalSource</name>
    <message>
        <source>Local</source>
        <translation>Lokal</translation>
    </message>
</context>
<context>
    <name>PriceFormat</name>
    <message>
        <source>in %1</source>
        <translation>Eingabe %1</translation>
    </message>
    <message>
        <source>cached %1</source>
        <translation>Cache %1</translation>
    </message>
    <message>
        <source>write %1</source>
        <translation>Cache-Schreiben %1</translation>
    </message>
    <message>
        <source>out %1</source>
        <translation>Ausgabe %1</translation>
    </message>
    <message>
        <source>reasoning %1</source>
        <translation>Reasoning %1</translation>
    </message>
    <message>
        <source>above %1: %2</source>
        <translation>über %1: %2</translation>
    </message>
    <message>
        <source>exact name “%1”</source>
        <translation>exakter Name „%1“</translation>
    </message>
    <message>
        <source>pattern “%1”</source>
        <translation>Muster „%1“</translation>
    </message>
</context>
<context>
    <name>PriceOverrides</name>
    <message>
        <source>Cannot read the price overrides %1: %2</source>
        <translation>Die eigenen Preise %1 können nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The price overrides in %1 are not valid: %2</source>
        <translation>Die eigenen Preise in %1 sind ungültig: %2</translation>
    </message>
    <message>
        <source>Cannot create the folder %1</source>
        <translation>Der Ordner %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>Cannot write the price overrides %1: %2</source>
        <translation>Die eigenen Preise %1 können nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
</context>
<context>
    <name>TraceFiles</name>
    <message>
        <source>Export Failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>Could not export to %1:
%2</source>
        <translation>Export nach %1 nicht möglich:
%2</translation>
    </message>
</context>
<context>
    <name>agentops::client::CredentialStore</name>
    <message>
        <source>No keychain is available to keep the sign-in (a Secret Service such as GNOME Keyring or KWallet must be running): %1</source>
        <translation>Kein Schlüsselbund verfügbar, um die Anmeldung zu speichern (ein Secret Service wie GNOME Keyring oder KWallet muss laufen): %1</translation>
    </message>
    <message>
        <source>The keychain is locked or refused access: %1</source>
        <translation>Der Schlüsselbund ist gesperrt oder hat den Zugriff verweigert: %1</translation>
    </message>
    <message>
        <source>The keychain reported an error: %1</source>
        <translation>Der Schlüsselbund meldet einen Fehler: %1</translation>
    </message>
</context>
<context>
    <name>agentops::client::LocalBackend</name>
    <message>
        <source>Cannot create the data directory %1</source>
        <translation>Das Datenverzeichnis %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>Cannot open the trace database %1: %2</source>
        <translation>Die Trace-Datenbank %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Port %1 is in use — receiving disabled; stored traces are available</source>
        <translation>Port %1 ist belegt – Empfang deaktiviert; gespeicherte Traces sind verfügbar</translation>
    </message>
    <message>
        <source>Cannot receive on %1:%2 (%3) — receiving disabled; stored traces are available</source>
        <translation>Empfang auf %1:%2 nicht möglich (%3) – Empfang deaktiviert; gespeicherte Traces sind verfügbar</translation>
    </message>
    <message>
        <source>OTLP/gRPC port %1 is in use — gRPC receiving disabled</source>
        <translation>OTLP/gRPC-Port %1 ist belegt – gRPC-Empfang deaktiviert</translation>
    </message>
    <message>
        <source>Cannot receive OTLP/gRPC on %1:%2 (%3)</source>
        <translation>OTLP/gRPC-Empfang auf %1:%2 nicht möglich (%3)</translation>
    </message>
    <message>
        <source>Redaction rules cannot be used (%1) — receiving disabled; stored traces are available</source>
        <translation>Die Schwärzungsregeln sind nicht verwendbar (%1) — Empfang deaktiviert; gespeicherte Traces sind verfügbar</translation>
    </message>
    <message>
        <source>Redaction rules cannot be used (%1)</source>
        <translation>Die Schwärzungsregeln sind nicht verwendbar (%1)</translation>
    </message>
</context>
<context>
    <name>agentops::client::SourceManager</name>
    <message>
        <source>Local</source>
        <translation>Lokal</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AboutDialog</name>
    <message>
        <source>Version: %1</source>
        <translation>Version: %1</translation>
    </message>
    <message>
        <source>Source commit: %1</source>
        <translation>Quell-Commit: %1</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>nicht erfasst</translation>
    </message>
    <message>
        <source>Qt: built with %1, running with %2</source>
        <translation>Qt: gebaut mit %1, läuft mit %2</translation>
    </message>
    <message>
        <source>Compiler: %1</source>
        <translation>Compiler: %1</translation>
    </message>
    <message>
        <source>Build type: %1</source>
        <translation>Build-Typ: %1</translation>
    </message>
    <message>
        <source>Platform: %1 (%2), %3</source>
        <translation>Plattform: %1 (%2), %3</translation>
    </message>
    <message>
        <source>About AgentOps Monitor</source>
        <translation>Über AgentOps Monitor</translation>
    </message>
    <message>
        <source>AgentOps Monitor %1</source>
        <translation>AgentOps Monitor %1</translation>
    </message>
    <message>
        <source>Traces, costs and failures of AI agents, on your desktop. Receives OpenTelemetry traces over OTLP/HTTP and keeps them in a local database.</source>
        <translation>Traces, Kosten und Fehler von KI-Agenten auf Ihrem Desktop. Empfängt OpenTelemetry-Traces über OTLP/HTTP und speichert sie in einer lokalen Datenbank.</translation>
    </message>
    <message>
        <source>Released under the MIT licence; see the Licence tab.</source>
        <translation>Veröffentlicht unter der MIT-Lizenz; siehe Reiter „Lizenz“.</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Komponente</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
    <message>
        <source>Home page</source>
        <translation>Homepage</translation>
    </message>
    <message>
        <source>system</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Components</source>
        <translation>Komponenten</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>Build</translation>
    </message>
    <message>
        <source>Copy Build Details</source>
        <translation>Build-Details kopieren</translation>
    </message>
    <message>
        <source>The documentation is not installed (the package puts it in /usr/share/doc/agentops-monitor).</source>
        <translation>Die Dokumentation ist nicht installiert (das Paket legt sie in /usr/share/doc/agentops-monitor ab).</translation>
    </message>
    <message>
        <source>Documentation:</source>
        <translation>Dokumentation:</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AlertMonitor</name>
    <message>
        <source>and 1 more alert</source>
        <translation>und 1 weiterer Alarm</translation>
    </message>
    <message>
        <source>and %1 more alerts</source>
        <translation>und %1 weitere Alarme</translation>
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
        <translation>Diese Regel prüfen</translation>
    </message>
    <message>
        <source>Edit Alert Rule</source>
        <translation>Alarmregel bearbeiten</translation>
    </message>
    <message>
        <source>New Alert Rule</source>
        <translation>Neue Alarmregel</translation>
    </message>
    <message>
        <source>e.g. checkout errors</source>
        <translation>z. B. Checkout-Fehler</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>The condition must hold this long before the alert fires, and be gone this long before it resolves, so a value that wavers around the threshold does not notify again and again.</source>
        <translation>So lange muss die Bedingung gelten, bevor der Alarm auslöst, und so lange vorbei sein, bevor er als behoben gilt – ein Wert, der um die Schwelle schwankt, meldet sich so nicht immer wieder.</translation>
    </message>
    <message>
        <source>All traffic</source>
        <translation>Gesamter Verkehr</translation>
    </message>
    <message>
        <source>One service</source>
        <translation>Ein Dienst</translation>
    </message>
    <message>
        <source>One agent</source>
        <translation>Ein Agent</translation>
    </message>
    <message>
        <source>One model</source>
        <translation>Ein Modell</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Watch:</source>
        <translation>Über&amp;wachen:</translation>
    </message>
    <message>
        <source>&amp;Threshold:</source>
        <translation>&amp;Schwelle:</translation>
    </message>
    <message>
        <source>Over the last:</source>
        <translation>In den letzten:</translation>
    </message>
    <message>
        <source>&amp;For at least:</source>
        <translation>&amp;Mindestens für:</translation>
    </message>
    <message>
        <source>&amp;Scope:</source>
        <translation>Be&amp;reich:</translation>
    </message>
    <message>
        <source>Na&amp;me in scope:</source>
        <translation>Nam&amp;e im Bereich:</translation>
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
        <translation> pro Stunde</translation>
    </message>
    <message>
        <source> per day</source>
        <translation> pro Tag</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>at most </source>
        <translation>höchstens </translation>
    </message>
    <message>
        <source> spans</source>
        <translation> Spans</translation>
    </message>
    <message>
        <source>service.name, e.g. checkout</source>
        <translation>service.name, z. B. checkout</translation>
    </message>
    <message>
        <source>agent name, e.g. weather_agent</source>
        <translation>Agentenname, z. B. weather_agent</translation>
    </message>
    <message>
        <source>model, e.g. gpt-4o-mini</source>
        <translation>Modell, z. B. gpt-4o-mini</translation>
    </message>
    <message>
        <source>Give the rule a name.</source>
        <translation>Geben Sie der Regel einen Namen.</translation>
    </message>
    <message>
        <source>Name the service, agent or model the rule watches.</source>
        <translation>Nennen Sie den Dienst, Agenten oder das Modell, das die Regel überwacht.</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AlertRulesPage</name>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Bedingung</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Rules are checked every minute against the traces in this computer&apos;s database. When one fires or resolves, a desktop notification tells you, and View ▸ Alerts lists it.</source>
        <translation>Die Regeln werden jede Minute an den Traces in der Datenbank dieses Computers geprüft. Löst eine aus oder ist sie behoben, meldet das eine Desktop-Benachrichtigung, und Ansicht ▸ Alarme listet sie auf.</translation>
    </message>
    <message>
        <source>Alerts need the local database, which this session does not have.</source>
        <translation>Alarme brauchen die lokale Datenbank, die diese Sitzung nicht hat.</translation>
    </message>
    <message>
        <source>The alert rules could not be read: %1</source>
        <translation>Die Alarmregeln konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No alert rules yet. Add one to hear when error rates, cost or latency go up, or when an agent goes quiet.</source>
        <translation>Noch keine Alarmregeln. Fügen Sie eine hinzu, um zu erfahren, wenn Fehlerquote, Kosten oder Latenz steigen oder ein Agent verstummt.</translation>
    </message>
    <message>
        <source>Alert Rule Not Saved</source>
        <translation>Alarmregel nicht gespeichert</translation>
    </message>
    <message>
        <source>Remove Alert Rule</source>
        <translation>Alarmregel entfernen</translation>
    </message>
    <message>
        <source>Remove the alert rule “%1”? Alerts it raised stay in the list.</source>
        <translation>Die Alarmregel „%1“ entfernen? Ihre bisherigen Alarme bleiben in der Liste.</translation>
    </message>
    <message>
        <source>Alert Rule Not Removed</source>
        <translation>Alarmregel nicht entfernt</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AlertsDialog</name>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Bedingung</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>Firing since</source>
        <translation>Ausgelöst seit</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>&amp;Firing now</source>
        <translation>&amp;Jetzt ausgelöst</translation>
    </message>
    <message>
        <source>&amp;Recent alerts</source>
        <translation>&amp;Letzte Alarme</translation>
    </message>
    <message>
        <source>Alert R&amp;ules…</source>
        <translation>Alarm&amp;regeln…</translation>
    </message>
    <message>
        <source>&amp;Check Now</source>
        <translation>Jetzt &amp;prüfen</translation>
    </message>
    <message>
        <source>Alerts need the local database, which this session does not have.</source>
        <translation>Alarme brauchen die lokale Datenbank, die diese Sitzung nicht hat.</translation>
    </message>
    <message>
        <source>The alerts could not be read: %1</source>
        <translation>Die Alarme konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Fired</source>
        <translation>Ausgelöst</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Behoben</translation>
    </message>
    <message>
        <source>No alert rules yet: make one with Alert Rules…</source>
        <translation>Noch keine Alarmregeln: legen Sie eine mit „Alarmregeln…“ an</translation>
    </message>
    <message>
        <source>No alert is firing. 1 rule is checked every minute.</source>
        <translation>Kein Alarm ausgelöst. 1 Regel wird jede Minute geprüft.</translation>
    </message>
    <message>
        <source>No alert is firing. %1 rules are checked every minute.</source>
        <translation>Kein Alarm ausgelöst. %1 Regeln werden jede Minute geprüft.</translation>
    </message>
    <message>
        <source>1 alert firing.</source>
        <translation>1 Alarm ausgelöst.</translation>
    </message>
    <message>
        <source>%1 alerts firing.</source>
        <translation>%1 Alarme ausgelöst.</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AttributeModel</name>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
</context>
<context>
    <name>agentops::ui::AttributeTable</name>
    <message>
        <source>Filter by key or value</source>
        <translation>Nach Schlüssel oder Wert filtern</translation>
    </message>
    <message>
        <source>No attributes</source>
        <translation>Keine Attribute</translation>
    </message>
    <message>
        <source>Copy Value</source>
        <translation>Wert kopieren</translation>
    </message>
    <message>
        <source>Copy Key</source>
        <translation>Schlüssel kopieren</translation>
    </message>
    <message>
        <source>Copy All as JSON</source>
        <translation>Alles als JSON kopieren</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ComparePage</name>
    <message>
        <source>First divergence</source>
        <translation>Erste Abweichung</translation>
    </message>
    <message>
        <source>Compare runs</source>
        <translation>Läufe vergleichen</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Back to the page the comparison was opened from (Esc, Alt+Left)</source>
        <translation>Zurück zur Seite, von der aus der Vergleich geöffnet wurde (Esc, Alt+Links)</translation>
    </message>
    <message>
        <source>Select the first step that differs between the runs (Alt+D)</source>
        <translation>Den ersten Schritt auswählen, der sich zwischen den Läufen unterscheidet (Alt+D)</translation>
    </message>
    <message>
        <source>Aligned steps</source>
        <translation>Zugeordnete Schritte</translation>
    </message>
    <message>
        <source>Text differences of the selected step</source>
        <translation>Textunterschiede des ausgewählten Schritts</translation>
    </message>
    <message>
        <source>Comparing runs…</source>
        <translation>Läufe werden verglichen…</translation>
    </message>
    <message>
        <source>Could not compare the runs: %1</source>
        <translation>Die Läufe konnten nicht verglichen werden: %1</translation>
    </message>
    <message>
        <source>A: %1 · B: %2</source>
        <translation>A: %1 · B: %2</translation>
    </message>
    <message>
        <source>Δ tokens: &lt;b&gt;%1&lt;/b&gt; (input %2, output %3)</source>
        <translation>Δ Tokens: &lt;b&gt;%1&lt;/b&gt; (Eingabe %2, Ausgabe %3)</translation>
    </message>
    <message>
        <source>Δ cost: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Δ Kosten: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>no price</source>
        <translation>kein Preis</translation>
    </message>
    <message>
        <source>Δ latency: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Δ Latenz: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>%1 added, %2 removed, %3 changed of %4 steps</source>
        <translation>%1 hinzugekommen, %2 entfallen, %3 geändert von %4 Schritten</translation>
    </message>
    <message>
        <source>First divergence: step %1, “%2” (%3)</source>
        <translation>Erste Abweichung: Schritt %1, „%2“ (%3)</translation>
    </message>
    <message>
        <source>No divergence: every step is alike</source>
        <translation>Keine Abweichung: alle Schritte gleichen sich</translation>
    </message>
    <message>
        <source>inputs and outputs were not compared (a big trace is read without them)</source>
        <translation>Ein- und Ausgaben wurden nicht verglichen (ein großer Trace wird ohne sie gelesen)</translation>
    </message>
    <message>
        <source>Comparing the texts…</source>
        <translation>Texte werden verglichen…</translation>
    </message>
    <message>
        <source>Could not read the step: %1</source>
        <translation>Der Schritt konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>leer</translation>
    </message>
    <message>
        <source>the same in both runs</source>
        <translation>in beiden Läufen gleich</translation>
    </message>
    <message>
        <source>only in run B</source>
        <translation>nur in Lauf B</translation>
    </message>
    <message>
        <source>only in run A</source>
        <translation>nur in Lauf A</translation>
    </message>
    <message>
        <source>only the beginning was compared</source>
        <translation>nur der Anfang wurde verglichen</translation>
    </message>
    <message>
        <source>Input (prompt or tool arguments)</source>
        <translation>Eingabe (Prompt oder Werkzeugargumente)</translation>
    </message>
    <message>
        <source>Output (completion or tool result)</source>
        <translation>Ausgabe (Antwort oder Werkzeugergebnis)</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>unset</source>
        <translation>nicht gesetzt</translation>
    </message>
    <message>
        <source>“%1” %2 (%3, %4, %5)</source>
        <translation>„%1“ %2 (%3, %4, %5)</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>unterschiedlich</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Run A</source>
        <translation>Lauf A</translation>
    </message>
    <message>
        <source>Run B</source>
        <translation>Lauf B</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ComparePendingBar</name>
    <message>
        <source>Compare</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel the comparison</source>
        <translation>Vergleich abbrechen</translation>
    </message>
    <message>
        <source>Comparison in progress</source>
        <translation>Vergleich begonnen</translation>
    </message>
    <message>
        <source>Compare run A with the trace selected now (Ctrl+D)</source>
        <translation>Lauf A mit dem jetzt ausgewählten Trace vergleichen (Strg+D)</translation>
    </message>
    <message>
        <source>Forget run A (Esc)</source>
        <translation>Lauf A verwerfen (Esc)</translation>
    </message>
    <message>
        <source>Comparing with %1 from %2 — select run B, in any list and from any source, and press Ctrl+D or Compare</source>
        <translation>Vergleich mit %1 aus %2 — Lauf B in einer beliebigen Liste und Quelle auswählen und Strg+D drücken oder „Vergleichen“ klicken</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ConnectionBanner</name>
    <message>
        <source>Retry Now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <source>Sign In…</source>
        <translation>Anmelden…</translation>
    </message>
    <message>
        <source>Cannot reach %1 — retrying in %2 s</source>
        <translation>%1 nicht erreichbar – neuer Versuch in %2 s</translation>
    </message>
    <message>
        <source>Cannot reach %1 — retrying…</source>
        <translation>%1 nicht erreichbar – neuer Versuch…</translation>
    </message>
    <message>
        <source>Signed out of %1: the session expired or was revoked. Sign in again to see its traces.</source>
        <translation>Von %1 abgemeldet: Die Sitzung ist abgelaufen oder wurde widerrufen. Melden Sie sich erneut an, um die Traces zu sehen.</translation>
    </message>
    <message>
        <source>%1 refused access: %2</source>
        <translation>%1 hat den Zugriff verweigert: %2</translation>
    </message>
    <message>
        <source>%1 reported an error: %2</source>
        <translation>%1 meldet einen Fehler: %2</translation>
    </message>
</context>
<context>
    <name>agentops::ui::CrashReportDialog</name>
    <message>
        <source>AgentOps Monitor Quit Unexpectedly</source>
        <translation>AgentOps Monitor wurde unerwartet beendet</translation>
    </message>
    <message>
        <source>AgentOps Monitor quit unexpectedly %1 times since it last ran. The latest report is below and in %2. It stays on this computer: nothing was sent anywhere.</source>
        <translation>AgentOps Monitor wurde seit dem letzten Start %1-mal unerwartet beendet. Der neueste Bericht steht unten und in %2. Er bleibt auf diesem Computer: Nichts wurde irgendwohin gesendet.</translation>
    </message>
    <message>
        <source>AgentOps Monitor quit unexpectedly the last time it ran. The report below is in %1. It stays on this computer: nothing was sent anywhere.</source>
        <translation>AgentOps Monitor wurde beim letzten Mal unerwartet beendet. Der Bericht unten steht in %1. Er bleibt auf diesem Computer: Nichts wurde irgendwohin gesendet.</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DashboardChartView</name>
    <message>
        <source>Save Chart as PNG…</source>
        <translation>Diagramm als PNG speichern…</translation>
    </message>
    <message>
        <source>Save Chart</source>
        <translation>Diagramm speichern</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>Save Data as CSV…</source>
        <translation>Daten als CSV speichern…</translation>
    </message>
    <message>
        <source>Save Chart Data</source>
        <translation>Diagrammdaten speichern</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Copy Data</source>
        <translation>Daten kopieren</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Split by model</source>
        <translation>Nach Modell aufteilen</translation>
    </message>
    <message>
        <source>Split by service</source>
        <translation>Nach Service aufteilen</translation>
    </message>
    <message>
        <source>Split by span kind</source>
        <translation>Nach Span-Art aufteilen</translation>
    </message>
    <message>
        <source>Split by agent</source>
        <translation>Nach Agent aufteilen</translation>
    </message>
    <message>
        <source>No split</source>
        <translation>Nicht aufteilen</translation>
    </message>
    <message>
        <source>How cost is broken down</source>
        <translation>Wonach die Kosten aufgeschlüsselt werden</translation>
    </message>
    <message>
        <source>Refresh now (the dashboard also refreshes every few seconds)</source>
        <translation>Jetzt aktualisieren (das Dashboard aktualisiert sich auch alle paar Sekunden)</translation>
    </message>
    <message>
        <source>Metrics are not available</source>
        <translation>Metriken sind nicht verfügbar</translation>
    </message>
    <message>
        <source>The current trace source cannot compute metrics. The Traces and Sessions pages still work.</source>
        <translation>Die aktuelle Trace-Quelle kann keine Metriken berechnen. Die Seiten „Traces“ und „Sitzungen“ funktionieren weiterhin.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Could not load metrics</source>
        <translation>Metriken konnten nicht geladen werden</translation>
    </message>
    <message>
        <source>Updated %1</source>
        <translation>Aktualisiert %1</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DashboardView</name>
    <message>
        <source>Traces</source>
        <translation>Traces</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Fehlerrate</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>p95 trace latency</source>
        <translation>p95-Trace-Latenz</translation>
    </message>
    <message>
        <source>LLM calls</source>
        <translation>LLM-Aufrufe</translation>
    </message>
    <message>
        <source>Latency of whole traces or of single LLM calls</source>
        <translation>Latenz ganzer Traces oder einzelner LLM-Aufrufe</translation>
    </message>
    <message>
        <source>Traces and error rate</source>
        <translation>Traces und Fehlerrate</translation>
    </message>
    <message>
        <source>Latency percentiles</source>
        <translation>Latenz-Perzentile</translation>
    </message>
    <message>
        <source>Cost by model</source>
        <translation>Kosten nach Modell</translation>
    </message>
    <message>
        <source>Top failing spans</source>
        <translation>Häufigste fehlerhafte Spans</translation>
    </message>
    <message>
        <source>Slowest traces</source>
        <translation>Langsamste Traces</translation>
    </message>
    <message>
        <source>Costliest traces</source>
        <translation>Teuerste Traces</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at the OTLP/HTTP endpoint (&lt;b&gt;/v1/traces&lt;/b&gt; on the address shown in the status bar), open a trace file (Ctrl+O), or choose a longer time range.</source>
        <translation>Richten Sie einen OpenTelemetry-Exporter auf den OTLP/HTTP-Endpunkt (&lt;b&gt;/v1/traces&lt;/b&gt; unter der Adresse in der Statusleiste), öffnen Sie eine Trace-Datei (Strg+O) oder wählen Sie einen längeren Zeitraum.</translation>
    </message>
    <message>
        <source>model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>span kind</source>
        <translation>Span-Art</translation>
    </message>
    <message>
        <source>agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>No traces in this time range</source>
        <translation>Keine Traces in diesem Zeitraum</translation>
    </message>
    <message>
        <source>Cost by %1</source>
        <translation>Kosten nach %1</translation>
    </message>
    <message>
        <source>Cost in range</source>
        <translation>Kosten im Zeitraum</translation>
    </message>
    <message>
        <source>Cost by %1 in range</source>
        <translation>Kosten nach %1 im Zeitraum</translation>
    </message>
    <message>
        <source>%1 spans</source>
        <translation>%1 Spans</translation>
    </message>
    <message>
        <source>1 failed trace</source>
        <translation>1 fehlgeschlagener Trace</translation>
    </message>
    <message>
        <source>%1 failed traces</source>
        <translation>%1 fehlgeschlagene Traces</translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation>%1 ein · %2 aus</translation>
    </message>
    <message>
        <source>1 unpriced span</source>
        <translation>1 Span ohne Preis</translation>
    </message>
    <message>
        <source>%1 unpriced spans</source>
        <translation>%1 Spans ohne Preis</translation>
    </message>
    <message>
        <source>%1 per trace</source>
        <translation>%1 pro Trace</translation>
    </message>
    <message>
        <source>p50 %1 · p99 %2</source>
        <translation>p50 %1 · p99 %2</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Error rate (right)</source>
        <translation>Fehlerrate (rechts)</translation>
    </message>
    <message>
        <source>Error spans</source>
        <translation>Fehler-Spans</translation>
    </message>
    <message>
        <source>Click to list these traces</source>
        <translation>Klicken, um diese Traces aufzulisten</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Input, cache read</source>
        <translation>Eingabe, aus Cache gelesen</translation>
    </message>
    <message>
        <source>Output (incl. reasoning)</source>
        <translation>Ausgabe (inkl. Reasoning)</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>  of which reasoning</source>
        <translation>  davon Reasoning</translation>
    </message>
    <message>
        <source>Cache write (in input)</source>
        <translation>Cache-Schreiben (in Eingabe)</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Gesamt</translation>
    </message>
    <message>
        <source>%1 (unpriced spans)</source>
        <translation>%1 (Spans ohne Preis)</translation>
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
        <translation>keine Messwerte</translation>
    </message>
    <message>
        <source>Share of cost</source>
        <translation>Anteil an den Kosten</translation>
    </message>
    <message>
        <source>Unpriced spans</source>
        <translation>Spans ohne Preis</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DatabaseBackup</name>
    <message>
        <source>Backing up the database to %1…</source>
        <translation>Datenbank wird nach %1 gesichert…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Back Up Database</source>
        <translation>Datenbank sichern</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
    <message>
        <source>The backup was cancelled; nothing was written.</source>
        <translation>Die Sicherung wurde abgebrochen; nichts wurde geschrieben.</translation>
    </message>
</context>
<context>
    <name>agentops::ui::DocumentationBrowser</name>
    <message>
        <source>AgentOps Monitor Documentation</source>
        <translation>AgentOps-Monitor-Dokumentation</translation>
    </message>
    <message>
        <source>Back (Alt+Left)</source>
        <translation>Zurück (Alt+Links)</translation>
    </message>
    <message>
        <source>Forward (Alt+Right)</source>
        <translation>Vor (Alt+Rechts)</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>Inhalt</translation>
    </message>
    <message>
        <source>The README, which links every other page</source>
        <translation>Die README, die auf alle anderen Seiten verweist</translation>
    </message>
    <message>
        <source>The documentation is not installed. The agentops-monitor package puts it in /usr/share/doc/agentops-monitor; looked in:

%1</source>
        <translation>Die Dokumentation ist nicht installiert. Das Paket agentops-monitor legt sie in /usr/share/doc/agentops-monitor ab; gesucht wurde in:

%1</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ElidedTextView</name>
    <message>
        <source>Showing the first %1 of %2.</source>
        <translation>Die ersten %1 von %2 werden angezeigt.</translation>
    </message>
    <message>
        <source>Show all (%1)</source>
        <translation>Alles anzeigen (%1)</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ErrorGroupModel</name>
    <message>
        <source>(no message)</source>
        <translation>(keine Meldung)</translation>
    </message>
    <message>
        <source>Double-click to open an example trace</source>
        <translation>Doppelklicken, um einen Beispiel-Trace zu öffnen</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>Span</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
</context>
<context>
    <name>agentops::ui::JsonTreeModel</name>
    <message>
        <source>(value)</source>
        <translation>(Wert)</translation>
    </message>
    <message>
        <source>{1 key}</source>
        <translation>{1 Schlüssel}</translation>
    </message>
    <message>
        <source>{%1 keys}</source>
        <translation>{%1 Schlüssel}</translation>
    </message>
    <message>
        <source>[1 item]</source>
        <translation>[1 Element]</translation>
    </message>
    <message>
        <source>[%1 items]</source>
        <translation>[%1 Elemente]</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
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
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Traces</source>
        <translation>Traces</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Could not load: %1</source>
        <translation>Laden nicht möglich: %1</translation>
    </message>
    <message>
        <source>Imported %1 spans</source>
        <translation>%1 Spans importiert</translation>
    </message>
    <message>
        <source>Imported %1 spans; %2 left out (see the import details)</source>
        <translation>%1 Spans importiert; %2 ausgelassen (siehe Importdetails)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open Trace File…</source>
        <translation>Trace-Datei ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>&amp;Export Selected Traces…</source>
        <translation>Ausgewählte Traces &amp;exportieren…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>A&amp;ktualisieren</translation>
    </message>
    <message>
        <source>&amp;Dashboard</source>
        <translation>&amp;Dashboard</translation>
    </message>
    <message>
        <source>&amp;Traces</source>
        <translation>&amp;Traces</translation>
    </message>
    <message>
        <source>&amp;Sessions</source>
        <translation>&amp;Sitzungen</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Configure AgentOps Monitor…</source>
        <translation>AgentOps Monitor &amp;konfigurieren…</translation>
    </message>
    <message>
        <source>Model &amp;prices…</source>
        <translation>Modell&amp;preise…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About AgentOps Monitor</source>
        <translation>Ü&amp;ber AgentOps Monitor</translation>
    </message>
    <message>
        <source>99,999 spans/s</source>
        <translation>99.999 Spans/s</translation>
    </message>
    <message>
        <source>99,999+ traces</source>
        <translation>99.999+ Traces</translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation>%1 wird gelesen</translation>
    </message>
    <message>
        <source>Receiving OTLP on %1</source>
        <translation>OTLP-Empfang auf %1</translation>
    </message>
    <message>
        <source>Point OpenTelemetry exporters at %1/v1/traces</source>
        <translation>OpenTelemetry-Exporter auf %1/v1/traces richten</translation>
    </message>
    <message>
        <source>Change the port in Settings to receive traces</source>
        <translation>Ändern Sie den Port in den Einstellungen, um Traces zu empfangen</translation>
    </message>
    <message>
        <source>Receiving is off; stored traces are available</source>
        <translation>Empfang ist aus; gespeicherte Traces sind verfügbar</translation>
    </message>
    <message>
        <source>Open a trace file (Ctrl+O) or drop one here.</source>
        <translation>Öffnen Sie eine Trace-Datei (Strg+O) oder ziehen Sie eine hierher.</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at &lt;b&gt;%1/v1/traces&lt;/b&gt;,&lt;br&gt;or open a trace file (Ctrl+O).</source>
        <translation>Richten Sie einen OpenTelemetry-Exporter auf &lt;b&gt;%1/v1/traces&lt;/b&gt;&lt;br&gt;oder öffnen Sie eine Trace-Datei (Strg+O).</translation>
    </message>
    <message>
        <source>No traces to show</source>
        <translation>Keine Traces vorhanden</translation>
    </message>
    <message>
        <source>Open a trace file (Ctrl+O), or choose a longer time range.</source>
        <translation>Öffnen Sie eine Trace-Datei (Strg+O) oder wählen Sie einen längeren Zeitraum.</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at &lt;b&gt;%1/v1/traces&lt;/b&gt;,&lt;br&gt;open a trace file (Ctrl+O), or choose a longer time range.</source>
        <translation>Richten Sie einen OpenTelemetry-Exporter auf &lt;b&gt;%1/v1/traces&lt;/b&gt;,&lt;br&gt;öffnen Sie eine Trace-Datei (Strg+O) oder wählen Sie einen längeren Zeitraum.</translation>
    </message>
    <message>
        <source>%1 spans/s</source>
        <translation>%1 Spans/s</translation>
    </message>
    <message>
        <source>Spans received per second</source>
        <translation>Pro Sekunde empfangene Spans</translation>
    </message>
    <message>
        <source>%1+ traces</source>
        <translation>%1+ Traces</translation>
    </message>
    <message>
        <source>%1 traces loaded; scroll down for more</source>
        <translation>%1 Traces geladen; für mehr nach unten scrollen</translation>
    </message>
    <message>
        <source>1 trace</source>
        <translation>1 Trace</translation>
    </message>
    <message>
        <source>%1 traces</source>
        <translation>%1 Traces</translation>
    </message>
    <message>
        <source>Open Trace Files</source>
        <translation>Trace-Dateien öffnen</translation>
    </message>
    <message>
        <source>Trace files (%1);;All files (*)</source>
        <translation>Trace-Dateien (%1);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Trace files can only be imported into the local database.</source>
        <translation>Trace-Dateien können nur in die lokale Datenbank importiert werden.</translation>
    </message>
    <message>
        <source>An import is still running</source>
        <translation>Ein Import läuft noch</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>%1 wird importiert…</translation>
    </message>
    <message>
        <source>Importing %1 files…</source>
        <translation>%1 Dateien werden importiert…</translation>
    </message>
    <message>
        <source>Export Traces</source>
        <translation>Traces exportieren</translation>
    </message>
    <message>
        <source>Select the traces to export first.</source>
        <translation>Wählen Sie zuerst die zu exportierenden Traces aus.</translation>
    </message>
    <message>
        <source>Export Trace</source>
        <translation>Trace exportieren</translation>
    </message>
    <message>
        <source>Export %1 Traces</source>
        <translation>%1 Traces exportieren</translation>
    </message>
    <message>
        <source>OTLP JSON lines (*.jsonl);;All files (*)</source>
        <translation>OTLP-JSON-Zeilen (*.jsonl);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Wird exportiert…</translation>
    </message>
    <message>
        <source>Exported 1 trace to %1</source>
        <translation>1 Trace nach %1 exportiert</translation>
    </message>
    <message>
        <source>Exported %1 traces to %2</source>
        <translation>%1 Traces nach %2 exportiert</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Source:</source>
        <translation>Quelle:</translation>
    </message>
    <message>
        <source>Local database</source>
        <translation>Lokale Datenbank</translation>
    </message>
    <message>
        <source>%1 — AgentOps Monitor</source>
        <translation>%1 – AgentOps Monitor</translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation>Server: %1</translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation>&amp;Dokumentation</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>Team server %1</source>
        <translation>Team-Server %1</translation>
    </message>
    <message>
        <source>Team server %1, project %2</source>
        <translation>Team-Server %1, Projekt %2</translation>
    </message>
    <message>
        <source>Traces come from %1, signed in as %2. The receiver on this computer keeps running; choose Local in Source to see what it received.</source>
        <translation>Die Traces kommen von %1, angemeldet als %2. Der Empfänger auf diesem Computer läuft weiter; wählen Sie unter Quelle „Lokal“, um zu sehen, was er empfangen hat.</translation>
    </message>
    <message>
        <source>Receiving OTLP on %1 (HTTP) and %2 (gRPC)</source>
        <translation>OTLP-Empfang auf %1 (HTTP) und %2 (gRPC)</translation>
    </message>
    <message>
        <source>Point OpenTelemetry exporters at %1/v1/traces (OTLP/HTTP) or %2 (OTLP/gRPC)</source>
        <translation>OpenTelemetry-Exporter auf %1/v1/traces (OTLP/HTTP) oder %2 (OTLP/gRPC) richten</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at &lt;b&gt;%1/v1/traces&lt;/b&gt; (OTLP/HTTP)&lt;br&gt;or &lt;b&gt;%2&lt;/b&gt; (OTLP/gRPC), or open a trace file (Ctrl+O).</source>
        <translation>Richten Sie einen OpenTelemetry-Exporter auf &lt;b&gt;%1/v1/traces&lt;/b&gt; (OTLP/HTTP)&lt;br&gt;oder &lt;b&gt;%2&lt;/b&gt; (OTLP/gRPC) oder öffnen Sie eine Trace-Datei (Strg+O).</translation>
    </message>
    <message>
        <source>Point an OpenTelemetry exporter at &lt;b&gt;%1/v1/traces&lt;/b&gt; (OTLP/HTTP)&lt;br&gt;or &lt;b&gt;%2&lt;/b&gt; (OTLP/gRPC), open a trace file (Ctrl+O), or choose a longer time range.</source>
        <translation>Richten Sie einen OpenTelemetry-Exporter auf &lt;b&gt;%1/v1/traces&lt;/b&gt; (OTLP/HTTP)&lt;br&gt;oder &lt;b&gt;%2&lt;/b&gt; (OTLP/gRPC), öffnen Sie eine Trace-Datei (Strg+O) oder wählen Sie einen längeren Zeitraum.</translation>
    </message>
    <message>
        <source>&amp;Compare Selected Runs</source>
        <translation>Ausgewählte Läufe &amp;vergleichen</translation>
    </message>
    <message>
        <source>Compare the two traces selected in the list, step by step</source>
        <translation>Die zwei in der Liste ausgewählten Traces Schritt für Schritt vergleichen</translation>
    </message>
    <message>
        <source>Compare &amp;With…</source>
        <translation>Vergleichen &amp;mit…</translation>
    </message>
    <message>
        <source>Keep the open trace as run A; then pick run B, from any source, and compare</source>
        <translation>Den geöffneten Trace als Lauf A behalten; dann Lauf B aus einer beliebigen Quelle wählen und vergleichen</translation>
    </message>
    <message>
        <source>Select one trace to compare with run A, then press Ctrl+D</source>
        <translation>Einen Trace zum Vergleich mit Lauf A auswählen, dann Strg+D drücken</translation>
    </message>
    <message>
        <source>Select two traces to compare (Ctrl+click), then press Ctrl+D</source>
        <translation>Zwei Traces zum Vergleich auswählen (Strg+Klick), dann Strg+D drücken</translation>
    </message>
    <message>
        <source>Open or select the trace to compare first</source>
        <translation>Zuerst den zu vergleichenden Trace öffnen oder auswählen</translation>
    </message>
    <message>
        <source>“%1” (%2)</source>
        <translation>„%1“ (%2)</translation>
    </message>
    <message>
        <source>Compare With %1</source>
        <translation>Mit %1 vergleichen</translation>
    </message>
    <message>
        <source>Select one trace to compare with run A</source>
        <translation>Einen Trace zum Vergleich mit Lauf A auswählen</translation>
    </message>
    <message>
        <source>Select two traces to compare them (Ctrl+click)</source>
        <translation>Zwei Traces zum Vergleich auswählen (Strg+Klick)</translation>
    </message>
    <message>
        <source>Select one trace to keep as run A</source>
        <translation>Einen Trace als Lauf A auswählen</translation>
    </message>
    <message>
        <source>Backed up the database to %1 (%2)</source>
        <translation>Datenbank nach %1 gesichert (%2)</translation>
    </message>
    <message>
        <source>Back Up Database</source>
        <translation>Datenbank sichern</translation>
    </message>
    <message>
        <source>The database could not be backed up. Nothing was written.</source>
        <translation>Die Datenbank konnte nicht gesichert werden. Nichts wurde geschrieben.</translation>
    </message>
    <message>
        <source>&amp;Back Up Database…</source>
        <translation>Datenbank &amp;sichern…</translation>
    </message>
    <message>
        <source>Write a backup of the local database to a file</source>
        <translation>Eine Sicherung der lokalen Datenbank in eine Datei schreiben</translation>
    </message>
    <message>
        <source>Search index unavailable</source>
        <translation>Suchindex nicht verfügbar</translation>
    </message>
    <message>
        <source>Indexing for search: %1 %</source>
        <translation>Suchindex wird aufgebaut: %1 %</translation>
    </message>
    <message>
        <source>Searches find what is indexed so far; %1 spans to go.</source>
        <translation>Suchen finden, was bisher indiziert ist; noch %1 Spans.</translation>
    </message>
    <message>
        <source>Backups (*.tar);;All files (*)</source>
        <translation>Sicherungen (*.tar);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Select another trace than run A to compare with it</source>
        <translation>Wählen Sie einen anderen Trace als Lauf A, um ihn damit zu vergleichen</translation>
    </message>
    <message>
        <source>&amp;Alerts…</source>
        <translation>&amp;Alarme…</translation>
    </message>
    <message>
        <source>The alerts firing now and the recent ones, from the local database&apos;s rules</source>
        <translation>Die jetzt ausgelösten und die letzten Alarme aus den Regeln der lokalen Datenbank</translation>
    </message>
    <message>
        <source>Show the alerts (View ▸ Alerts)</source>
        <translation>Die Alarme zeigen (Ansicht ▸ Alarme)</translation>
    </message>
    <message>
        <source>⚠ 1 alert firing</source>
        <translation>⚠ 1 Alarm ausgelöst</translation>
    </message>
    <message>
        <source>⚠ %1 alerts firing</source>
        <translation>⚠ %1 Alarme ausgelöst</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Database %1 · %2 free</source>
        <translation>Datenbank %1 · %2 frei</translation>
    </message>
    <message>
        <source>Database %1</source>
        <translation>Datenbank %1</translation>
    </message>
    <message>
        <source>Disk low: %1</source>
        <translation>Wenig Speicherplatz: %1</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>Write-ahead log: %1</source>
        <translation>Write-Ahead-Log: %1</translation>
    </message>
    <message>
        <source>Search index: %1</source>
        <translation>Suchindex: %1</translation>
    </message>
    <message>
        <source>Search index log: %1</source>
        <translation>Log des Suchindex: %1</translation>
    </message>
    <message>
        <source>Free on its disk: %1 of %2</source>
        <translation>Frei auf ihrem Datenträger: %1 von %2</translation>
    </message>
    <message>
        <source>Low below: %1</source>
        <translation>Warnung unter: %1</translation>
    </message>
    <message>
        <source>Kept within: %1 (Settings)</source>
        <translation>Begrenzt auf: %1 (Einstellungen)</translation>
    </message>
    <message>
        <source>Free space on this disk, or keep the database smaller in Settings ▸ Storage.</source>
        <translation>Geben Sie Platz auf diesem Datenträger frei oder halten Sie die Datenbank unter Einstellungen ▸ Speicher kleiner.</translation>
    </message>
    <message>
        <source>Disk low: %1 free (warning below %2). New traces are refused once it is full.</source>
        <translation>Wenig Speicherplatz: %1 frei (Warnung unter %2). Ist er voll, werden neue Traces abgelehnt.</translation>
    </message>
    <message>
        <source>E&amp;rase %1 Traces…</source>
        <translation>%1 Traces &amp;löschen…</translation>
    </message>
    <message>
        <source>E&amp;rase Trace…</source>
        <translation>Trace &amp;löschen…</translation>
    </message>
    <message>
        <source>E&amp;rase Session…</source>
        <translation>Sitzung &amp;löschen…</translation>
    </message>
    <message>
        <source>Erase the trace %1 for good?</source>
        <translation>Den Trace %1 endgültig löschen?</translation>
    </message>
    <message>
        <source>Erase these %1 traces for good?</source>
        <translation>Diese %1 Traces endgültig löschen?</translation>
    </message>
    <message>
        <source>Erase Trace</source>
        <translation>Trace löschen</translation>
    </message>
    <message>
        <source>Erase Traces</source>
        <translation>Traces löschen</translation>
    </message>
    <message>
        <source>Erase session “%1” and its trace for good?</source>
        <translation>Sitzung „%1“ und ihren Trace endgültig löschen?</translation>
    </message>
    <message>
        <source>Erase session “%1” and its %2 traces for good?</source>
        <translation>Sitzung „%1“ und ihre %2 Traces endgültig löschen?</translation>
    </message>
    <message>
        <source>Erase Session</source>
        <translation>Sitzung löschen</translation>
    </message>
    <message>
        <source>Not imported: %1</source>
        <translation>Nicht importiert: %1</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ModelPriceTester</name>
    <message>
        <source>Test a model name</source>
        <translation>Modellnamen testen</translation>
    </message>
    <message>
        <source>model name as spans report it, e.g. gpt-4o-2024-11-20</source>
        <translation>Modellname, wie ihn Spans melden, z. B. gpt-4o-2024-11-20</translation>
    </message>
    <message>
        <source>Input tokens, cached ones included</source>
        <translation>Eingabe-Tokens, gecachte eingeschlossen</translation>
    </message>
    <message>
        <source>Of the input tokens, how many were read from the prompt cache</source>
        <translation>Wie viele der Eingabe-Tokens aus dem Prompt-Cache gelesen wurden</translation>
    </message>
    <message>
        <source>Output tokens, reasoning included</source>
        <translation>Ausgabe-Tokens, Reasoning eingeschlossen</translation>
    </message>
    <message>
        <source>Of the output tokens, how many were reasoning</source>
        <translation>Wie viele der Ausgabe-Tokens Reasoning waren</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Input:</source>
        <translation>Eingabe:</translation>
    </message>
    <message>
        <source>cached:</source>
        <translation>gecacht:</translation>
    </message>
    <message>
        <source>Output:</source>
        <translation>Ausgabe:</translation>
    </message>
    <message>
        <source>reasoning:</source>
        <translation>Reasoning:</translation>
    </message>
    <message>
        <source>Type a model name to see which row prices it and what a call with these token counts costs.</source>
        <translation>Geben Sie einen Modellnamen ein, um zu sehen, welche Zeile ihn bepreist und was ein Aufruf mit diesen Token-Zahlen kostet.</translation>
    </message>
    <message>
        <source>&lt;b&gt;No row prices “%1”.&lt;/b&gt; Its spans get no cost (shown as “no price”, never $0). Add a row to price it.</source>
        <translation>&lt;b&gt;Keine Zeile bepreist „%1“.&lt;/b&gt; Seine Spans erhalten keine Kosten (angezeigt als „kein Preis“, nie 0 $). Fügen Sie eine Zeile hinzu, um es zu bepreisen.</translation>
    </message>
    <message>
        <source>your override</source>
        <translation>Ihre Überschreibung</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>mitgeliefert</translation>
    </message>
    <message>
        <source>Priced by row &lt;b&gt;%1&lt;/b&gt; (%2, as of %3) through its %4.</source>
        <translation>Bepreist durch Zeile &lt;b&gt;%1&lt;/b&gt; (%2, Stand %3) über %4.</translation>
    </message>
    <message>
        <source>%1 %2 × %3/M</source>
        <translation>%1 %2 × %3/M</translation>
    </message>
    <message>
        <source>input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>cached</source>
        <translation>gecacht</translation>
    </message>
    <message>
        <source>cache write</source>
        <translation>Cache-Schreiben</translation>
    </message>
    <message>
        <source>output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>reasoning</source>
        <translation>Reasoning</translation>
    </message>
    <message>
        <source>Cost: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Kosten: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>(long-context tier: more than %1 input tokens)</source>
        <translation>(Long-Context-Stufe: mehr als %1 Eingabe-Tokens)</translation>
    </message>
    <message>
        <source>Spans priced by this row record &lt;code&gt;%1&lt;/code&gt;.</source>
        <translation>Von dieser Zeile bepreiste Spans vermerken &lt;code&gt;%1&lt;/code&gt;.</translation>
    </message>
</context>
<context>
    <name>agentops::ui::PayloadView</name>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>Tool</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>No input or output was recorded for this span.</source>
        <translation>Für diesen Span wurden weder Eingabe noch Ausgabe aufgezeichnet.</translation>
    </message>
    <message>
        <source>Arguments &amp;&amp; Result</source>
        <translation>Argumente &amp;&amp; Ergebnis</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Konversation</translation>
    </message>
    <message>
        <source>Input &amp;&amp; Output</source>
        <translation>Eingabe &amp;&amp; Ausgabe</translation>
    </message>
    <message>
        <source>Reading %1 of payload…</source>
        <translation>%1 Nutzdaten werden gelesen…</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>Argumente</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>No result: the call failed.</source>
        <translation>Kein Ergebnis: Der Aufruf ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>No output: the span failed.</source>
        <translation>Keine Ausgabe: Der Span ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Show all (%1)</source>
        <translation>Alles anzeigen (%1)</translation>
    </message>
    <message>
        <source>finish: %1</source>
        <translation>Abschluss: %1</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>Reasoning</translation>
    </message>
    <message>
        <source>Tool call</source>
        <translation>Tool-Aufruf</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>Tool-Ergebnis</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>1 message</source>
        <translation>1 Nachricht</translation>
    </message>
    <message>
        <source>%1 messages</source>
        <translation>%1 Nachrichten</translation>
    </message>
    <message>
        <source>INPUT</source>
        <translation>EINGABE</translation>
    </message>
    <message>
        <source>OUTPUT</source>
        <translation>AUSGABE</translation>
    </message>
</context>
<context>
    <name>agentops::ui::PriceEditorDialog</name>
    <message>
        <source>Add…</source>
        <translation>Hinzufügen…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Duplicate as override…</source>
        <translation>Als eigene Zeile duplizieren…</translation>
    </message>
    <message>
        <source>Remove override</source>
        <translation>Eigene Zeile entfernen</translation>
    </message>
    <message>
        <source>Re-price stored traces…</source>
        <translation>Gespeicherte Traces neu bepreisen…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Model prices</source>
        <translation>Modellpreise</translation>
    </message>
    <message>
        <source>&lt;b&gt;Your price overrides could not be read; the shipped prices are in use.&lt;/b&gt;&lt;br&gt;%1&lt;br&gt;Saving replaces the file with the rows shown here.</source>
        <translation>&lt;b&gt;Ihre eigenen Preise konnten nicht gelesen werden; die mitgelieferten Preise werden verwendet.&lt;/b&gt;&lt;br&gt;%1&lt;br&gt;Speichern ersetzt die Datei durch die hier gezeigten Zeilen.</translation>
    </message>
    <message>
        <source>Model calls are priced as they arrive, in USD per million tokens. Shipped rows come with the app; your rows replace a shipped row with the same id or price models it does not list, and win the names they share with it. Dimmed prices are not set by the row and fall back to the input (cache) or output (reasoning) price.</source>
        <translation>Modellaufrufe werden beim Eintreffen bepreist, in USD pro Million Tokens. Mitgelieferte Zeilen kommen mit der App; Ihre Zeilen ersetzen eine mitgelieferte Zeile mit derselben ID oder bepreisen Modelle, die sie nicht enthält, und haben bei gemeinsamen Namen Vorrang. Abgeblendete Preise sind in der Zeile nicht gesetzt und fallen auf den Eingabepreis (Cache) bzw. Ausgabepreis (Reasoning) zurück.</translation>
    </message>
    <message>
        <source>Your rows are saved in %1</source>
        <translation>Ihre Zeilen werden in %1 gespeichert</translation>
    </message>
    <message>
        <source>Filter by id, provider or model name…</source>
        <translation>Nach ID, Anbieter oder Modellname filtern…</translation>
    </message>
    <message>
        <source>A new row of your own, for a model the shipped table does not price</source>
        <translation>Eine neue eigene Zeile für ein Modell, das die mitgelieferte Tabelle nicht bepreist</translation>
    </message>
    <message>
        <source>Change your row, or override the selected shipped row with your own prices</source>
        <translation>Ihre Zeile ändern oder die gewählte mitgelieferte Zeile mit eigenen Preisen überschreiben</translation>
    </message>
    <message>
        <source>A new row of your own with the selected row&apos;s prices, for other model names</source>
        <translation>Eine neue eigene Zeile mit den Preisen der gewählten Zeile, für andere Modellnamen</translation>
    </message>
    <message>
        <source>Remove your row; a shipped row it replaced comes back. Shipped rows cannot be removed, only overridden.</source>
        <translation>Ihre Zeile entfernen; eine von ihr ersetzte mitgelieferte Zeile gilt wieder. Mitgelieferte Zeilen können nicht entfernt, nur überschrieben werden.</translation>
    </message>
    <message>
        <source>Override</source>
        <translation>Eigene</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Mitgeliefert</translation>
    </message>
    <message>
        <source>Price the model calls already stored again with the saved prices; trace and dashboard costs follow</source>
        <translation>Die bereits gespeicherten Modellaufrufe mit den gespeicherten Preisen neu bepreisen; Trace- und Dashboard-Kosten folgen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Override…</source>
        <translation>Überschreiben…</translation>
    </message>
    <message>
        <source>No trace database is open</source>
        <translation>Keine Trace-Datenbank geöffnet</translation>
    </message>
    <message>
        <source>Save the prices first: stored traces are re-priced with the saved prices</source>
        <translation>Speichern Sie zuerst die Preise: Gespeicherte Traces werden mit den gespeicherten Preisen neu bepreist</translation>
    </message>
    <message numerus="yes">
        <source>%1 rows: %2 shipped, %Ln of yours</source>
        <translation>
            <numerusform>%1 Zeilen: %2 mitgeliefert, %Ln eigene</numerusform>
            <numerusform>%1 Zeilen: %2 mitgeliefert, %Ln eigene</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;unsaved changes&lt;/b&gt;</source>
        <translation>&lt;b&gt;ungespeicherte Änderungen&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Add a price row</source>
        <translation>Preiszeile hinzufügen</translation>
    </message>
    <message>
        <source>Edit “%1”</source>
        <translation>„%1“ bearbeiten</translation>
    </message>
    <message>
        <source>Override shipped row “%1”</source>
        <translation>Mitgelieferte Zeile „%1“ überschreiben</translation>
    </message>
    <message>
        <source>New row from “%1”</source>
        <translation>Neue Zeile aus „%1“</translation>
    </message>
    <message>
        <source>The row cannot be added: %1</source>
        <translation>Die Zeile kann nicht hinzugefügt werden: %1</translation>
    </message>
    <message>
        <source>saved; new spans use these prices</source>
        <translation>gespeichert; neue Spans verwenden diese Preise</translation>
    </message>
    <message>
        <source>Re-price stored traces?</source>
        <translation>Gespeicherte Traces neu bepreisen?</translation>
    </message>
    <message>
        <source>New spans are priced with these prices from now on. The traces already stored keep the cost they were given when they arrived.</source>
        <translation>Neue Spans werden ab jetzt mit diesen Preisen bepreist. Bereits gespeicherte Traces behalten die Kosten, die sie beim Eintreffen erhalten haben.</translation>
    </message>
    <message>
        <source>Re-pricing updates the cost of every stored model call and the totals of their traces and the dashboard. It can be stopped at any time.</source>
        <translation>Die Neubepreisung aktualisiert die Kosten jedes gespeicherten Modellaufrufs sowie die Summen ihrer Traces und des Dashboards. Sie kann jederzeit angehalten werden.</translation>
    </message>
    <message>
        <source>Re-price stored traces</source>
        <translation>Gespeicherte Traces neu bepreisen</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Nicht jetzt</translation>
    </message>
    <message>
        <source>Re-pricing stored model calls…</source>
        <translation>Gespeicherte Modellaufrufe werden neu bepreist…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Re-pricing stored model calls… %1 of %2</source>
        <translation>Gespeicherte Modellaufrufe werden neu bepreist… %1 von %2</translation>
    </message>
    <message numerus="yes">
        <source>re-pricing failed after %Ln changed span(s): %1</source>
        <translation>
            <numerusform>Neubepreisung nach %Ln geändertem Span fehlgeschlagen: %1</numerusform>
            <numerusform>Neubepreisung nach %Ln geänderten Spans fehlgeschlagen: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>re-pricing stopped: %Ln span(s) re-priced, the others keep their cost</source>
        <translation>
            <numerusform>Neubepreisung angehalten: %Ln Span neu bepreist, die übrigen behalten ihre Kosten</numerusform>
            <numerusform>Neubepreisung angehalten: %Ln Spans neu bepreist, die übrigen behalten ihre Kosten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>stored traces re-priced: %Ln span(s) changed</source>
        <translation>
            <numerusform>Gespeicherte Traces neu bepreist: %Ln Span geändert</numerusform>
            <numerusform>Gespeicherte Traces neu bepreist: %Ln Spans geändert</numerusform>
        </translation>
    </message>
    <message>
        <source>Save your changes to the model prices?</source>
        <translation>Änderungen an den Modellpreisen speichern?</translation>
    </message>
</context>
<context>
    <name>agentops::ui::PriceRowDialog</name>
    <message>
        <source>unique, e.g. my-gpt-4o-deployment</source>
        <translation>eindeutig, z. B. my-gpt-4o-deployment</translation>
    </message>
    <message>
        <source>exact names, comma-separated, e.g. gpt-4o, gpt-4o-2024-11-20</source>
        <translation>exakte Namen, durch Kommas getrennt, z. B. gpt-4o, gpt-4o-2024-11-20</translation>
    </message>
    <message>
        <source>globs with *, e.g. gpt-4o-20*, */gpt-4o</source>
        <translation>Muster mit *, z. B. gpt-4o-20*, */gpt-4o</translation>
    </message>
    <message>
        <source>When you last checked these prices against the provider&apos;s list</source>
        <translation>Wann Sie diese Preise zuletzt mit der Preisliste des Anbieters verglichen haben</translation>
    </message>
    <message>
        <source>optional: where the provider publishes these prices</source>
        <translation>optional: wo der Anbieter diese Preise veröffentlicht</translation>
    </message>
    <message>
        <source>optional: negotiated rate, region, …</source>
        <translation>optional: ausgehandelter Tarif, Region, …</translation>
    </message>
    <message>
        <source>Id:</source>
        <translation>ID:</translation>
    </message>
    <message>
        <source>Provider:</source>
        <translation>Anbieter:</translation>
    </message>
    <message>
        <source>Model names:</source>
        <translation>Modellnamen:</translation>
    </message>
    <message>
        <source>Patterns:</source>
        <translation>Muster:</translation>
    </message>
    <message>
        <source>Prices (USD per million tokens)</source>
        <translation>Preise (USD pro Million Tokens)</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Cached read</source>
        <translation>Cache-Lesen</translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation>Cache-Schreiben</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>Reasoning</translation>
    </message>
    <message>
        <source>required</source>
        <translation>erforderlich</translation>
    </message>
    <message>
        <source>= input</source>
        <translation>= Eingabe</translation>
    </message>
    <message>
        <source>= output</source>
        <translation>= Ausgabe</translation>
    </message>
    <message>
        <source>Cached tokens are billed once, at their cache price; reasoning tokens at the reasoning price (the output price when empty).</source>
        <translation>Gecachte Tokens werden einmal zum Cache-Preis abgerechnet, Reasoning-Tokens zum Reasoning-Preis (zum Ausgabepreis, wenn leer).</translation>
    </message>
    <message>
        <source>Long-context tiers</source>
        <translation>Long-Context-Stufen</translation>
    </message>
    <message>
        <source>Above a number of input tokens (cached included), a tier&apos;s prices replace the base prices for the whole call; empty cells keep the base price.</source>
        <translation>Ab einer Anzahl Eingabe-Tokens (gecachte eingeschlossen) ersetzen die Preise einer Stufe die Grundpreise für den ganzen Aufruf; leere Zellen behalten den Grundpreis.</translation>
    </message>
    <message>
        <source>Above input tokens</source>
        <translation>Ab Eingabe-Tokens</translation>
    </message>
    <message>
        <source>Add tier</source>
        <translation>Stufe hinzufügen</translation>
    </message>
    <message>
        <source>Remove tier</source>
        <translation>Stufe entfernen</translation>
    </message>
    <message>
        <source>As of:</source>
        <translation>Stand:</translation>
    </message>
    <message>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>Notiz:</translation>
    </message>
    <message>
        <source>An override keeps the id of the shipped row it replaces</source>
        <translation>Eine eigene Zeile behält die ID der mitgelieferten Zeile, die sie ersetzt</translation>
    </message>
    <message>
        <source>Replaces the shipped row “%1” (%2 input, %3 output, as of %4).</source>
        <translation>Ersetzt die mitgelieferte Zeile „%1“ (%2 Eingabe, %3 Ausgabe, Stand %4).</translation>
    </message>
    <message>
        <source>Input price</source>
        <translation>Eingabepreis</translation>
    </message>
    <message>
        <source>Cached read price</source>
        <translation>Cache-Lesepreis</translation>
    </message>
    <message>
        <source>Cache write price</source>
        <translation>Cache-Schreibpreis</translation>
    </message>
    <message>
        <source>Output price</source>
        <translation>Ausgabepreis</translation>
    </message>
    <message>
        <source>Reasoning price</source>
        <translation>Reasoning-Preis</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>Stand</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>Preise</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>Stufen</translation>
    </message>
    <message>
        <source>Tier %1</source>
        <translation>Stufe %1</translation>
    </message>
    <message>
        <source>Tier %1, above input tokens</source>
        <translation>Stufe %1, ab Eingabe-Tokens</translation>
    </message>
    <message>
        <source>Tier %1 prices</source>
        <translation>Preise der Stufe %1</translation>
    </message>
    <message>
        <source>Tier %1, %2</source>
        <translation>Stufe %1, %2</translation>
    </message>
    <message>
        <source>Model names</source>
        <translation>Modellnamen</translation>
    </message>
    <message>
        <source>Patterns</source>
        <translation>Muster</translation>
    </message>
    <message>
        <source>Id: “%1” is already the id of another of your rows</source>
        <translation>ID: „%1“ ist bereits die ID einer anderen Ihrer Zeilen</translation>
    </message>
    <message>
        <source>Model names: “%1” is already listed by your row “%2”</source>
        <translation>Modellnamen: „%1“ steht bereits in Ihrer Zeile „%2“</translation>
    </message>
    <message>
        <source>Patterns: “%1” is already listed by your row “%2”</source>
        <translation>Muster: „%1“ steht bereits in Ihrer Zeile „%2“</translation>
    </message>
</context>
<context>
    <name>agentops::ui::PriceTableModel</name>
    <message>
        <source>above %1</source>
        <translation>ab %1</translation>
    </message>
    <message numerus="yes">
        <source> (+%n more)</source>
        <translation>
            <numerusform> (+%n weiterer)</numerusform>
            <numerusform> (+%n weitere)</numerusform>
        </translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Mitgeliefert</translation>
    </message>
    <message>
        <source>Override</source>
        <translation>Eigene</translation>
    </message>
    <message>
        <source>Spans priced by this row record “%1”.</source>
        <translation>Von dieser Zeile bepreiste Spans vermerken „%1“.</translation>
    </message>
    <message>
        <source>Prices published at %1</source>
        <translation>Preise veröffentlicht unter %1</translation>
    </message>
    <message>
        <source>Exact names:</source>
        <translation>Exakte Namen:</translation>
    </message>
    <message>
        <source>Patterns (* = any characters):</source>
        <translation>Muster (* = beliebige Zeichen):</translation>
    </message>
    <message>
        <source>Not set: reasoning tokens are billed at the output price</source>
        <translation>Nicht gesetzt: Reasoning-Tokens werden zum Ausgabepreis abgerechnet</translation>
    </message>
    <message>
        <source>Not set: billed at the input price</source>
        <translation>Nicht gesetzt: wird zum Eingabepreis abgerechnet</translation>
    </message>
    <message>
        <source>Comes with the app; override it to change its prices</source>
        <translation>Kommt mit der App; überschreiben Sie die Zeile, um ihre Preise zu ändern</translation>
    </message>
    <message>
        <source>Your row, in place of the shipped row with the same id</source>
        <translation>Ihre Zeile, anstelle der mitgelieferten Zeile mit derselben ID</translation>
    </message>
    <message>
        <source>Your row, added to the shipped table</source>
        <translation>Ihre Zeile, zur mitgelieferten Tabelle hinzugefügt</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Models / patterns</source>
        <translation>Modelle / Muster</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Cached read</source>
        <translation>Cache-Lesen</translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation>Cache-Schreiben</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>Reasoning</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>Stufen</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>Stand</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>USD per million tokens</source>
        <translation>USD pro Million Tokens</translation>
    </message>
</context>
<context>
    <name>agentops::ui::RedactionSettings</name>
    <message>
        <source>E-mail addresses</source>
        <translation>E-Mail-Adressen</translation>
    </message>
    <message>
        <source>API keys (sk-…, AKIA…, ghp_…, xox…)</source>
        <translation>API-Schlüssel (sk-…, AKIA…, ghp_…, xox…)</translation>
    </message>
    <message>
        <source>Bearer tokens</source>
        <translation>Bearer-Token</translation>
    </message>
    <message>
        <source>JSON Web Tokens</source>
        <translation>JSON Web Tokens</translation>
    </message>
    <message>
        <source>Card numbers (Luhn-checked)</source>
        <translation>Kartennummern (Luhn-geprüft)</translation>
    </message>
    <message>
        <source>Redact secrets and personal data before traces are stored</source>
        <translation>Geheimnisse und persönliche Daten schwärzen, bevor Traces gespeichert werden</translation>
    </message>
    <message>
        <source>Add Rule</source>
        <translation>Regel hinzufügen</translation>
    </message>
    <message>
        <source>Remove Rule</source>
        <translation>Regel entfernen</translation>
    </message>
    <message>
        <source>What matches is replaced by [REDACTED:&lt;rule&gt;] in every trace received from now on: prompts, completions, tool arguments and results, attributes, events, names and status messages. Traces already stored are not changed.</source>
        <translation>Was passt, wird in jedem ab jetzt empfangenen Trace durch [REDACTED:&lt;rule&gt;] ersetzt: Prompts, Antworten, Werkzeugargumente und -ergebnisse, Attribute, Ereignisse, Namen und Statusmeldungen. Bereits gespeicherte Traces bleiben unverändert.</translation>
    </message>
    <message>
        <source>Built-in patterns</source>
        <translation>Eingebaute Muster</translation>
    </message>
    <message>
        <source>Rules of your own</source>
        <translation>Eigene Regeln</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Pattern (RE2)</source>
        <translation>Muster (RE2)</translation>
    </message>
    <message>
        <source>Attribute keys</source>
        <translation>Attributschlüssel</translation>
    </message>
    <message>
        <source>A pattern alone is replaced wherever it matches; with attribute keys (separated by commas) only in those attributes&apos; values. Keys without a pattern replace those attributes&apos; whole values.</source>
        <translation>Ein Muster allein wird überall ersetzt, wo es passt; mit Attributschlüsseln (durch Kommas getrennt) nur in den Werten dieser Attribute. Schlüssel ohne Muster ersetzen die ganzen Werte dieser Attribute.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Nothing redacted since AgentOps Monitor started.</source>
        <translation>Seit dem Start von AgentOps Monitor wurde nichts geschwärzt.</translation>
    </message>
    <message>
        <source>Redacted since AgentOps Monitor started — %1</source>
        <translation>Seit dem Start von AgentOps Monitor geschwärzt — %1</translation>
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
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Last active</source>
        <translation>Zuletzt aktiv</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Traces</source>
        <translation>Traces</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>Spans</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SessionsPage</name>
    <message>
        <source>Select a session to see its traces</source>
        <translation>Wählen Sie eine Sitzung, um ihre Traces zu sehen</translation>
    </message>
    <message>
        <source>Session %1 — 1 trace</source>
        <translation>Sitzung %1 – 1 Trace</translation>
    </message>
    <message>
        <source>Session %1 — %2 traces, oldest first</source>
        <translation>Sitzung %1 – %2 Traces, älteste zuerst</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>127.0.0.1 accepts only this computer; 0.0.0.0 accepts the whole network, without authentication.</source>
        <translation>127.0.0.1 nimmt nur von diesem Computer an; 0.0.0.0 nimmt vom ganzen Netzwerk an, ohne Authentifizierung.</translation>
    </message>
    <message>
        <source>Embedded receiver</source>
        <translation>Eingebauter Empfänger</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Adresse:</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Datenbank:</translation>
    </message>
    <message>
        <source>Exporters send to: &lt;b&gt;http://%1:%2/v1/traces&lt;/b&gt;</source>
        <translation>Exporter senden an: &lt;b&gt;http://%1:%2/v1/traces&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Receiving is off; stored traces stay available.</source>
        <translation>Empfang ist aus; gespeicherte Traces bleiben verfügbar.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <source>A new language takes effect the next time AgentOps Monitor starts.</source>
        <translation>Eine neue Sprache wird beim nächsten Start von AgentOps Monitor wirksam.</translation>
    </message>
    <message>
        <source>Interface language:</source>
        <translation>Sprache der Oberfläche:</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <source>System (follow the desktop)</source>
        <translation>System (wie die Arbeitsumgebung)</translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation>Farbschema:</translation>
    </message>
    <message>
        <source>Receive traces from agents on this computer</source>
        <translation>Traces von Agenten auf diesem Computer empfangen</translation>
    </message>
    <message>
        <source>OTLP/gRPC port:</source>
        <translation>OTLP/gRPC-Port:</translation>
    </message>
    <message>
        <source>Also receive OTLP/gRPC (OTEL_EXPORTER_OTLP_PROTOCOL=grpc) on the same address.</source>
        <translation>Auch OTLP/gRPC (OTEL_EXPORTER_OTLP_PROTOCOL=grpc) auf derselben Adresse empfangen.</translation>
    </message>
    <message>
        <source>OTLP/HTTP port:</source>
        <translation>OTLP/HTTP-Port:</translation>
    </message>
    <message>
        <source>OTLP/HTTP and OTLP/gRPC need ports of their own.</source>
        <translation>OTLP/HTTP und OTLP/gRPC brauchen jeweils einen eigenen Port.</translation>
    </message>
    <message>
        <source>Exporters send to &lt;b&gt;http://%1:%2/v1/traces&lt;/b&gt; (OTLP/HTTP)&lt;br&gt;or &lt;b&gt;http://%1:%3&lt;/b&gt; (OTLP/gRPC)</source>
        <translation>Exporter senden an &lt;b&gt;http://%1:%2/v1/traces&lt;/b&gt; (OTLP/HTTP)&lt;br&gt;oder &lt;b&gt;http://%1:%3&lt;/b&gt; (OTLP/gRPC)</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>&amp;Allgemein</translation>
    </message>
    <message>
        <source>A&amp;lerts</source>
        <translation>A&amp;larme</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Größe:</translation>
    </message>
    <message>
        <source>Keep all</source>
        <translation>Alle behalten</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Traces that started longer ago than this are deleted, whole (hourly).</source>
        <translation>Traces, die länger her begonnen haben, werden ganz gelöscht (stündlich).</translation>
    </message>
    <message>
        <source>Delete traces older than:</source>
        <translation>Traces löschen, die älter sind als:</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Keine Grenze</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>Redaction</source>
        <translation>Schwärzung</translation>
    </message>
    <message>
        <source>Not measured yet</source>
        <translation>Noch nicht gemessen</translation>
    </message>
    <message>
        <source>%1 (database %2, search index %3)</source>
        <translation>%1 (Datenbank %2, Suchindex %3)</translation>
    </message>
    <message>
        <source>%1; %2 free on its disk</source>
        <translation>%1; %2 frei auf ihrem Datenträger</translation>
    </message>
    <message>
        <source>Counted: the database, its logs and the search index&apos;s share of the traces. Above this size the oldest traces are deleted, whole, until what is counted is below 90 % of it; the space they took is reused for new traces (the files do not shrink).</source>
        <translation>Gezählt: die Datenbank, ihre Protokolle und der Anteil des Suchindex an den Traces. Über dieser Größe werden die ältesten Traces ganz gelöscht, bis das Gezählte unter 90 % davon liegt; ihr Platz wird für neue Traces wiederverwendet (die Dateien schrumpfen nicht).</translation>
    </message>
    <message>
        <source>Keep the files within:</source>
        <translation>Dateien begrenzen auf:</translation>
    </message>
</context>
<context>
    <name>agentops::ui::ShortcutsDialog</name>
    <message>
        <source>Window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SignInDialog</name>
    <message>
        <source>Email and password</source>
        <translation>E-Mail und Passwort</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Project:</source>
        <translation>&amp;Projekt:</translation>
    </message>
    <message>
        <source>&amp;Sign In</source>
        <translation>&amp;Anmelden</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Work &amp;Offline</source>
        <translation>&amp;Offline arbeiten</translation>
    </message>
    <message>
        <source>Sign In to a Team Server</source>
        <translation>Bei einem Team-Server anmelden</translation>
    </message>
    <message>
        <source>Sign in to an AgentOps server to read your team&apos;s traces. The sign-in is kept in the system keychain.</source>
        <translation>Melden Sie sich bei einem AgentOps-Server an, um die Traces Ihres Teams zu lesen. Die Anmeldung wird im Schlüsselbund des Systems gespeichert.</translation>
    </message>
    <message>
        <source>https://agentops.example.com</source>
        <translation>https://agentops.example.com</translation>
    </message>
    <message>
        <source>you@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>Paste the key shown when it was created</source>
        <translation>Den beim Erstellen angezeigten Schlüssel einfügen</translation>
    </message>
    <message>
        <source>&amp;Email:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose the CA certificate file</source>
        <translation>CA-Zertifikatsdatei wählen</translation>
    </message>
    <message>
        <source>Se&amp;rver:</source>
        <translation>Se&amp;rver:</translation>
    </message>
    <message>
        <source>Sign in with:</source>
        <translation>Anmelden mit:</translation>
    </message>
    <message>
        <source>&amp;CA file:</source>
        <translation>&amp;CA-Datei:</translation>
    </message>
    <message>
        <source>Close and keep using the traces stored on this computer</source>
        <translation>Schließen und weiter die auf diesem Computer gespeicherten Traces verwenden</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, e.g. https://agentops.example.com.</source>
        <translation>Geben Sie die Adresse des Servers ein, z. B. https://agentops.example.com.</translation>
    </message>
    <message>
        <source>“%1” is not a server address: it must start with https:// (or http://).</source>
        <translation>„%1“ ist keine Serveradresse: Sie muss mit https:// (oder http://) beginnen.</translation>
    </message>
    <message>
        <source>“%1” names no host.</source>
        <translation>„%1“ nennt keinen Host.</translation>
    </message>
    <message>
        <source>“%1” is not a valid server address.</source>
        <translation>„%1“ ist keine gültige Serveradresse.</translation>
    </message>
    <message>
        <source>⚠ Plain http: the password and the session token cross the network unencrypted. Use https unless the network is trusted.</source>
        <translation>⚠ Unverschlüsseltes http: Passwort und Sitzungstoken gehen unverschlüsselt über das Netzwerk. Verwenden Sie https, sofern das Netzwerk nicht vertrauenswürdig ist.</translation>
    </message>
    <message>
        <source>CA Certificate</source>
        <translation>CA-Zertifikat</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Signing In…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>&amp;Weiter</translation>
    </message>
    <message>
        <source>Enter the API key.</source>
        <translation>Geben Sie den API-Schlüssel ein.</translation>
    </message>
    <message>
        <source>Enter your email address.</source>
        <translation>Geben Sie Ihre E-Mail-Adresse ein.</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>Geben Sie Ihr Passwort ein.</translation>
    </message>
    <message>
        <source>The CA file %1 cannot be read.</source>
        <translation>Die CA-Datei %1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Sign-in cancelled.</source>
        <translation>Anmeldung abgebrochen.</translation>
    </message>
    <message>
        <source>The server did not accept this API key (wrong, revoked or expired).</source>
        <translation>Der Server hat diesen API-Schlüssel nicht akzeptiert (falsch, widerrufen oder abgelaufen).</translation>
    </message>
    <message>
        <source>Wrong email or password.</source>
        <translation>Falsche E-Mail-Adresse oder falsches Passwort.</translation>
    </message>
    <message>
        <source>This account may not use the server: %1</source>
        <translation>Dieses Konto darf den Server nicht verwenden: %1</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not trusted (%1). If the server uses a private certificate authority, choose its CA file.</source>
        <translation>Dem Zertifikat des Servers wird nicht vertraut (%1). Wenn der Server eine private Zertifizierungsstelle verwendet, wählen Sie deren CA-Datei.</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>%1 nicht erreichbar: %2</translation>
    </message>
    <message>
        <source>The server reported an error: %1</source>
        <translation>Der Server meldet einen Fehler: %1</translation>
    </message>
    <message>
        <source>Sign-in failed: %1</source>
        <translation>Anmeldung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Signed in. This account has %1 projects: choose the one to show.</source>
        <translation>Angemeldet. Dieses Konto hat %1 Projekte: Wählen Sie das anzuzeigende.</translation>
    </message>
    <message>
        <source>Optional: CA certificate (PEM) of a private CA</source>
        <translation>Optional: CA-Zertifikat (PEM) einer privaten Zertifizierungsstelle</translation>
    </message>
    <message>
        <source>&amp;Remove Server…</source>
        <translation>Server &amp;entfernen…</translation>
    </message>
    <message>
        <source>Forget this server and delete its sign-in from the keychain</source>
        <translation>Diesen Server vergessen und seine Anmeldung aus dem Schlüsselbund löschen</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SourceController</name>
    <message>
        <source>Where the traces come from: this computer or a team server</source>
        <translation>Woher die Traces kommen: dieser Computer oder ein Team-Server</translation>
    </message>
    <message>
        <source>Your session on %1 has ended. Sign in again to go on where you were.</source>
        <translation>Ihre Sitzung auf %1 ist beendet. Melden Sie sich erneut an, um dort weiterzumachen, wo Sie waren.</translation>
    </message>
    <message>
        <source>Showing the traces stored on this computer</source>
        <translation>Die auf diesem Computer gespeicherten Traces werden angezeigt</translation>
    </message>
    <message>
        <source>Signing in to %1…</source>
        <translation>Anmeldung bei %1…</translation>
    </message>
    <message>
        <source>Sign in to %1.</source>
        <translation>Bei %1 anmelden.</translation>
    </message>
    <message>
        <source>The saved sign-in for %1 could not be read from the keychain (%2). Sign in again.</source>
        <translation>Die gespeicherte Anmeldung für %1 konnte nicht aus dem Schlüsselbund gelesen werden (%2). Melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>Signed in to %1</source>
        <translation>Bei %1 angemeldet</translation>
    </message>
    <message>
        <source>The saved sign-in for %1 is no longer valid. Sign in again.</source>
        <translation>Die gespeicherte Anmeldung für %1 ist nicht mehr gültig. Melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Signed in to %1, but the keychain could not keep the sign-in: %2</source>
        <translation>Bei %1 angemeldet, aber der Schlüsselbund konnte die Anmeldung nicht speichern: %2</translation>
    </message>
    <message>
        <source>Signed out of %1</source>
        <translation>Von %1 abgemeldet</translation>
    </message>
    <message>
        <source>Local (this computer)</source>
        <translation>Lokal (dieser Computer)</translation>
    </message>
    <message>
        <source>%1 (API key)</source>
        <translation>%1 (API-Schlüssel)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Add Server…</source>
        <translation>Server &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Sign &amp;Out</source>
        <translation>&amp;Abmelden</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>Lokal</translation>
    </message>
    <message>
        <source>Remove Server</source>
        <translation>Server entfernen</translation>
    </message>
    <message>
        <source>Remove %1 (%2) from the saved servers?</source>
        <translation>%1 (%2) aus den gespeicherten Servern entfernen?</translation>
    </message>
    <message>
        <source>Its sign-in is deleted from the system keychain. The traces stay on the server; sign in again to see them.</source>
        <translation>Seine Anmeldung wird aus dem Schlüsselbund des Systems gelöscht. Die Traces bleiben auf dem Server; melden Sie sich erneut an, um sie zu sehen.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Removed %1 and its saved sign-in</source>
        <translation>%1 und seine gespeicherte Anmeldung wurden entfernt</translation>
    </message>
    <message>
        <source>Removed %1, but its sign-in could not be deleted from the keychain: %2</source>
        <translation>%1 wurde entfernt, aber seine Anmeldung konnte nicht aus dem Schlüsselbund gelöscht werden: %2</translation>
    </message>
    <message>
        <source>&amp;Remove Server</source>
        <translation>Server &amp;entfernen</translation>
    </message>
    <message>
        <source>%1 (API key)…</source>
        <translation>%1 (API-Schlüssel)…</translation>
    </message>
    <message>
        <source>%1 (%2)…</source>
        <translation>%1 (%2)…</translation>
    </message>
</context>
<context>
    <name>agentops::ui::SpanDetailsView</name>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>LLM</source>
        <translation>LLM</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>Tool</translation>
    </message>
    <message>
        <source>Chain</source>
        <translation>Chain</translation>
    </message>
    <message>
        <source>Retriever</source>
        <translation>Retriever</translation>
    </message>
    <message>
        <source>Embedding</source>
        <translation>Embedding</translation>
    </message>
    <message>
        <source>Guardrail</source>
        <translation>Guardrail</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>Evaluator</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>Span</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy %1</source>
        <translation>%1 kopieren</translation>
    </message>
    <message>
        <source>Select a span to see its details.</source>
        <translation>Wählen Sie einen Span, um seine Details zu sehen.</translation>
    </message>
    <message>
        <source>No resource attributes</source>
        <translation>Keine Ressourcenattribute</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Konversation</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>Attribute</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Events</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>Ressource</translation>
    </message>
    <message>
        <source>Attributes (%1)</source>
        <translation>Attribute (%1)</translation>
    </message>
    <message>
        <source>Events (%1)</source>
        <translation>Events (%1)</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Unset</source>
        <translation>Nicht gesetzt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>The span ended with an error status and no message.</source>
        <translation>Der Span endete mit einem Fehlerstatus ohne Meldung.</translation>
    </message>
    <message>
        <source>Timing</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>Angefordert</translation>
    </message>
    <message>
        <source>Responded</source>
        <translation>Laut Antwort</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>of which cache read</source>
        <translation>davon aus Cache gelesen</translation>
    </message>
    <message>
        <source>of which cache write</source>
        <translation>davon in Cache geschrieben</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>of which reasoning</source>
        <translation>davon Reasoning</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Gesamt</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>No price is known for this model, so no cost is counted.</source>
        <translation>Für dieses Modell ist kein Preis bekannt, daher werden keine Kosten gezählt.</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Kontext</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Identifiers</source>
        <translation>Kennungen</translation>
    </message>
    <message>
        <source>Trace ID</source>
        <translation>Trace-ID</translation>
    </message>
    <message>
        <source>Span ID</source>
        <translation>Span-ID</translation>
    </message>
    <message>
        <source>Parent ID</source>
        <translation>Eltern-ID</translation>
    </message>
    <message>
        <source>Links</source>
        <translation>Links</translation>
    </message>
    <message>
        <source>1 linked span</source>
        <translation>1 verknüpfter Span</translation>
    </message>
    <message>
        <source>%1 linked spans</source>
        <translation>%1 verknüpfte Spans</translation>
    </message>
    <message>
        <source>Dropped</source>
        <translation>Verworfen</translation>
    </message>
    <message>
        <source>%1 attributes, %2 events, %3 links</source>
        <translation>%1 Attribute, %2 Events, %3 Links</translation>
    </message>
    <message>
        <source>No events were recorded for this span.</source>
        <translation>Für diesen Span wurden keine Events aufgezeichnet.</translation>
    </message>
    <message>
        <source>the sum of the model calls below; counted once, on them</source>
        <translation>Summe der Modellaufrufe darunter; einmal gezählt, bei ihnen</translation>
    </message>
    <message>
        <source>This span repeats the usage of the model calls it contains. Trace, session and dashboard totals count each call once, on the call&apos;s own span.</source>
        <translation>Dieser Span wiederholt den Verbrauch der Modellaufrufe, die er enthält. Trace-, Sitzungs- und Dashboard-Summen zählen jeden Aufruf einmal, bei dessen eigenem Span.</translation>
    </message>
    <message>
        <source>$%1, as reported by the producer</source>
        <translation>$%1, vom Erzeuger gemeldet</translation>
    </message>
    <message>
        <source>$%1, priced by %2</source>
        <translation>$%1, bepreist nach %2</translation>
    </message>
</context>
<context>
    <name>agentops::ui::StepDiffModel</name>
    <message>
        <source>same</source>
        <translation>gleich</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>geändert</translation>
    </message>
    <message>
        <source>added</source>
        <translation>hinzugekommen</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>entfallen</translation>
    </message>
    <message>
        <source>status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Run A</source>
        <translation>Lauf A</translation>
    </message>
    <message>
        <source>Run B</source>
        <translation>Lauf B</translation>
    </message>
    <message>
        <source>Δ Duration</source>
        <translation>Δ Dauer</translation>
    </message>
    <message>
        <source>Δ Tokens</source>
        <translation>Δ Tokens</translation>
    </message>
    <message>
        <source>Δ Cost</source>
        <translation>Δ Kosten</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>The sum of the calls below; counted once, on them</source>
        <translation>Die Summe der Aufrufe darunter; einmal gezählt, bei ihnen</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TimeRange</name>
    <message>
        <source>Last 15 minutes</source>
        <translation>Letzte 15 Minuten</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>Gesamter Zeitraum</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Benutzerdefiniert…</translation>
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
        <translation>Zeitraum des Trace-Starts, gemeinsam für das Dashboard und die Trace-Seite</translation>
    </message>
    <message>
        <source>From (trace start)</source>
        <translation>Von (Trace-Start)</translation>
    </message>
    <message>
        <source>To (trace start, exclusive)</source>
        <translation>Bis (Trace-Start, ausschließlich)</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceEraser</name>
    <message>
        <source>Everything it holds (spans, prompts, responses, attributes) is deleted from the local database, its write-ahead log and the search index, and the dashboard&apos;s totals no longer count it. This cannot be undone; a backup made earlier still holds it.</source>
        <translation>Alles, was darin steht (Spans, Prompts, Antworten, Attribute), wird aus der lokalen Datenbank, ihrem Write-Ahead-Log und dem Suchindex gelöscht, und die Summen des Dashboards zählen es nicht mehr. Das lässt sich nicht rückgängig machen; eine früher erstellte Sicherung enthält es weiterhin.</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Could not erase: %1</source>
        <translation>Löschen nicht möglich: %1</translation>
    </message>
    <message>
        <source>Nothing to erase: the traces were already gone</source>
        <translation>Nichts zu löschen: Die Traces waren schon entfernt</translation>
    </message>
    <message>
        <source>Erased 1 trace (%1 spans)</source>
        <translation>1 Trace gelöscht (%1 Spans)</translation>
    </message>
    <message>
        <source>Erased %1 traces (%2 spans)</source>
        <translation>%1 Traces gelöscht (%2 Spans)</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceFileImporter</name>
    <message>
        <source>Import Traces</source>
        <translation>Traces importieren</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>%1 wird importiert…</translation>
    </message>
    <message>
        <source>Importing %1 files…</source>
        <translation>%1 Dateien werden importiert…</translation>
    </message>
    <message>
        <source>Import cancelled; %1 spans were imported before.</source>
        <translation>Import abgebrochen; zuvor wurden %1 Spans importiert.</translation>
    </message>
    <message>
        <source>%1 spans from the other files were imported.</source>
        <translation>%1 Spans aus den anderen Dateien wurden importiert.</translation>
    </message>
    <message>
        <source>Import Failed</source>
        <translation>Import fehlgeschlagen</translation>
    </message>
    <message>
        <source>Could not import a trace file.</source>
        <translation>Eine Trace-Datei konnte nicht importiert werden.</translation>
    </message>
    <message>
        <source>Could not import some trace files.</source>
        <translation>Einige Trace-Dateien konnten nicht importiert werden.</translation>
    </message>
    <message>
        <source>Import Finished</source>
        <translation>Import abgeschlossen</translation>
    </message>
    <message>
        <source>%1 spans were imported; some parts of the files were left out.</source>
        <translation>%1 Spans wurden importiert; einige Teile der Dateien wurden ausgelassen.</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceFilterBar</name>
    <message>
        <source>Errors only</source>
        <translation>Nur Fehler</translation>
    </message>
    <message>
        <source>All services</source>
        <translation>Alle Services</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>Alle Modelle</translation>
    </message>
    <message>
        <source>≥ </source>
        <translation>≥ </translation>
    </message>
    <message>
        <source>Any duration</source>
        <translation>Beliebige Dauer</translation>
    </message>
    <message>
        <source>Minimum trace duration</source>
        <translation>Minimale Trace-Dauer</translation>
    </message>
    <message>
        <source>Only the traces of the dashboard bucket you chose; click to show the whole time range again</source>
        <translation>Nur die Traces des gewählten Dashboard-Intervalls; klicken, um wieder den ganzen Zeitraum zu zeigen</translation>
    </message>
    <message>
        <source>Only %1 – %2</source>
        <translation>Nur %1 – %2</translation>
    </message>
    <message>
        <source>service %1</source>
        <translation>Service %1</translation>
    </message>
    <message>
        <source>model %1</source>
        <translation>Modell %1</translation>
    </message>
    <message>
        <source>at least %1</source>
        <translation>mindestens %1</translation>
    </message>
    <message>
        <source>errors only</source>
        <translation>nur Fehler</translation>
    </message>
    <message>
        <source>Search: text, tool:name, status:error…</source>
        <translation>Suchen: Text, tool:Name, status:error…</translation>
    </message>
    <message>
        <source>Finds traces by what their spans say: prompts, completions, tool arguments and results, errors, attributes (any case, any part of a word, at least 3 characters).
&quot;a phrase&quot;   a AND b   a OR b   NOT a   -a   ( )
tool:get_weather   model:gpt-4o   name:…   kind:llm   status:error   session:ID</source>
        <translation>Findet Traces nach dem, was ihre Spans enthalten: Prompts, Antworten, Tool-Argumente und -Ergebnisse, Fehler, Attribute (Groß-/Kleinschreibung egal, auch Wortteile, mindestens 3 Zeichen).
&quot;eine Phrase&quot;   a AND b   a OR b   NOT a   -a   ( )
tool:get_weather   model:gpt-4o   name:…   kind:llm   status:error   session:ID</translation>
    </message>
    <message>
        <source>matching “%1”</source>
        <translation>passend zu „%1“</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceListPage</name>
    <message>
        <source>Clear filters</source>
        <translation>Filter zurücksetzen</translation>
    </message>
    <message>
        <source>Show all time</source>
        <translation>Gesamten Zeitraum zeigen</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>the dashboard bucket</source>
        <translation>das Dashboard-Intervall</translation>
    </message>
    <message>
        <source>1 imported trace is outside the time range (%1).</source>
        <translation>1 importierter Trace liegt außerhalb des Zeitraums (%1).</translation>
    </message>
    <message>
        <source>%1 imported traces are outside the time range (%2).</source>
        <translation>%1 importierte Traces liegen außerhalb des Zeitraums (%2).</translation>
    </message>
    <message>
        <source>No traces match the filters</source>
        <translation>Keine Traces passen zu den Filtern</translation>
    </message>
    <message>
        <source>The search cannot be run</source>
        <translation>Die Suche kann nicht ausgeführt werden</translation>
    </message>
    <message>
        <source>A word of one or two characters is looked for in trace names only; spans are searched for three or more (東京の, not 東京).</source>
        <translation>Ein Wort aus ein oder zwei Zeichen wird nur in Trace-Namen gesucht; in Spans wird ab drei Zeichen gesucht (東京の, nicht 東京).</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceRankModel</name>
    <message>
        <source>(unnamed)</source>
        <translation>(unbenannt)</translation>
    </message>
    <message>
        <source>Double-click to open the trace</source>
        <translation>Doppelklicken, um den Trace zu öffnen</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>Trace</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceTableModel</name>
    <message>
        <source>(unnamed)</source>
        <translation>(unbenannt)</translation>
    </message>
    <message>
        <source>%1
Trace %2</source>
        <translation>%1
Trace %2</translation>
    </message>
    <message>
        <source>Input %1 · output %2 · cache read %3 · reasoning %4</source>
        <translation>Eingabe %1 · Ausgabe %2 · Cache-Lesen %3 · Reasoning %4</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>Spans</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>Fundstelle</translation>
    </message>
</context>
<context>
    <name>agentops::ui::TraceViewPage</name>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>No trace open</source>
        <translation>Kein Trace geöffnet</translation>
    </message>
    <message>
        <source>Cannot load the trace</source>
        <translation>Der Trace kann nicht geladen werden</translation>
    </message>
    <message>
        <source>Loading trace…</source>
        <translation>Trace wird geladen…</translation>
    </message>
    <message>
        <source>Trace not found</source>
        <translation>Trace nicht gefunden</translation>
    </message>
    <message>
        <source>(unnamed trace)</source>
        <translation>(unbenannter Trace)</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>Spans</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Back to the page the trace was opened from (Esc, Alt+Left)</source>
        <translation>Zurück zur Seite, von der der Trace geöffnet wurde (Esc, Alt+Links)</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>Trace</translation>
    </message>
</context>
<context>
    <name>agentops::ui::WaterfallDelegate</name>
    <message>
        <source>parent missing</source>
        <translation>Elternspan fehlt</translation>
    </message>
</context>
<context>
    <name>agentops::ui::WaterfallMinimap</name>
    <message>
        <source>1 span</source>
        <translation>1 Span</translation>
    </message>
    <message>
        <source>%1 spans</source>
        <translation>%1 Spans</translation>
    </message>
    <message>
        <source>1 error</source>
        <translation>1 Fehler</translation>
    </message>
    <message>
        <source>%1 errors</source>
        <translation>%1 Fehler</translation>
    </message>
</context>
<context>
    <name>agentops::ui::WaterfallModel</name>
    <message>
        <source>agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>LLM</source>
        <translation>LLM</translation>
    </message>
    <message>
        <source>tool</source>
        <translation>Tool</translation>
    </message>
    <message>
        <source>chain</source>
        <translation>Chain</translation>
    </message>
    <message>
        <source>retriever</source>
        <translation>Retriever</translation>
    </message>
    <message>
        <source>embedding</source>
        <translation>Embedding</translation>
    </message>
    <message>
        <source>guardrail</source>
        <translation>Guardrail</translation>
    </message>
    <message>
        <source>evaluator</source>
        <translation>Evaluator</translation>
    </message>
    <message>
        <source>other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>Span</source>
        <translation>Span</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Starts at</source>
        <translation>Beginnt bei</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>Tool</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation>%1 ein · %2 aus</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>unset</source>
        <translation>nicht gesetzt</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>Eltern-Span</translation>
    </message>
    <message>
        <source>missing from the trace</source>
        <translation>fehlt im Trace</translation>
    </message>
    <message>
        <source>Critical path</source>
        <translation>Kritischer Pfad</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
</context>
<context>
    <name>agentops::ui::WaterfallView</name>
    <message>
        <source>Critical path</source>
        <translation>Kritischer Pfad</translation>
    </message>
    <message>
        <source>Highlight the spans that determined the trace&apos;s duration</source>
        <translation>Die Spans hervorheben, die die Dauer des Traces bestimmt haben</translation>
    </message>
    <message>
        <source>Expand all</source>
        <translation>Aufklappen</translation>
    </message>
    <message>
        <source>Expand all spans (Ctrl+E)</source>
        <translation>Alle Spans aufklappen (Strg+E)</translation>
    </message>
    <message>
        <source>Collapse all</source>
        <translation>Zuklappen</translation>
    </message>
    <message>
        <source>Collapse all spans (Ctrl+Shift+E)</source>
        <translation>Alle Spans zuklappen (Strg+Umschalt+E)</translation>
    </message>
    <message>
        <source>Reset zoom</source>
        <translation>Gesamtansicht</translation>
    </message>
    <message>
        <source>Show the whole trace (Ctrl+0, Esc, or double-click the time line)</source>
        <translation>Den ganzen Trace zeigen (Strg+0, Esc oder Doppelklick auf die Zeitleiste)</translation>
    </message>
    <message>
        <source>Highlight Critical Path</source>
        <translation>Kritischen Pfad hervorheben</translation>
    </message>
    <message>
        <source>Loading %1 spans…</source>
        <translation>%1 Spans werden geladen…</translation>
    </message>
    <message>
        <source>No trace selected</source>
        <translation>Kein Trace ausgewählt</translation>
    </message>
    <message>
        <source>No spans match “%1”</source>
        <translation>Keine Spans passen zu „%1“</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Keine Treffer</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1 Treffer</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <translation>%1 Treffer</translation>
    </message>
    <message>
        <source>Zoom to Span</source>
        <translation>Auf Span zoomen</translation>
    </message>
    <message>
        <source>Expand Subtree</source>
        <translation>Teilbaum aufklappen</translation>
    </message>
    <message>
        <source>Collapse Subtree</source>
        <translation>Teilbaum zuklappen</translation>
    </message>
    <message>
        <source>Expand All</source>
        <translation>Alle aufklappen</translation>
    </message>
    <message>
        <source>Collapse All</source>
        <translation>Alle zuklappen</translation>
    </message>
    <message>
        <source>Reset Zoom</source>
        <translation>Zoom zurücksetzen</translation>
    </message>
    <message>
        <source>Search spans</source>
        <translation>Spans suchen</translation>
    </message>
    <message>
        <source>Next match</source>
        <translation>Nächster Treffer</translation>
    </message>
    <message>
        <source>Previous match</source>
        <translation>Vorheriger Treffer</translation>
    </message>
    <message>
        <source>Expand all spans</source>
        <translation>Alle Spans aufklappen</translation>
    </message>
    <message>
        <source>Collapse all spans</source>
        <translation>Alle Spans zuklappen</translation>
    </message>
    <message>
        <source>Zoom in on the time line</source>
        <translation>Zeitachse vergrößern</translation>
    </message>
    <message>
        <source>Zoom out of the time line</source>
        <translation>Zeitachse verkleinern</translation>
    </message>
    <message>
        <source>Show the whole trace (reset zoom)</source>
        <translation>Ganzen Trace zeigen (Zoom zurücksetzen)</translation>
    </message>
    <message>
        <source>Finds spans by name, kind, model, tool, agent, service or error message as you type.
Enter or F3: next match · Shift+Enter or Shift+F3: previous · Esc: clear</source>
        <translation>Findet Spans nach Name, Art, Modell, Tool, Agent, Service oder Fehlermeldung, während Sie tippen.
Eingabe oder F3: nächster Treffer · Umschalt+Eingabe oder Umschalt+F3: vorheriger · Esc: leeren</translation>
    </message>
    <message>
        <source>Previous match (Shift+Enter, Shift+F3)</source>
        <translation>Vorheriger Treffer (Umschalt+Eingabe, Umschalt+F3)</translation>
    </message>
    <message>
        <source>Next match (Enter, F3)</source>
        <translation>Nächster Treffer (Eingabe, F3)</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <source>Search spans  Ctrl+F</source>
        <translation>Spans suchen  Strg+F</translation>
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
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1m</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1s</source>
        <translation>%1 s</translation>
    </message>
    <message numerus="yes">
        <source>Not included: %Ln span(s) that used tokens of a model without a known price.</source>
        <translation>
            <numerusform>Nicht enthalten: %Ln Span, der Token eines Modells ohne bekannten Preis verbraucht hat.</numerusform>
            <numerusform>Nicht enthalten: %Ln Spans, die Token eines Modells ohne bekannten Preis verbraucht haben.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No price is known for the models of the %Ln span(s) that used tokens.</source>
        <translation>
            <numerusform>Für die Modelle des %Ln Spans, der Token verbraucht hat, ist kein Preis bekannt.</numerusform>
            <numerusform>Für die Modelle der %Ln Spans, die Token verbraucht haben, ist kein Preis bekannt.</numerusform>
        </translation>
    </message>
    <message>
        <source>no price</source>
        <translation>kein Preis</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Debug AI agents: receive OpenTelemetry traces and explore them.</source>
        <translation>KI-Agenten debuggen: OpenTelemetry-Traces empfangen und untersuchen.</translation>
    </message>
    <message>
        <source>Trace database to open (default: %1).</source>
        <translation>Zu öffnende Trace-Datenbank (Standard: %1).</translation>
    </message>
    <message>
        <source>Receive OTLP on this port (this run only).</source>
        <translation>OTLP auf diesem Port empfangen (nur für diesen Lauf).</translation>
    </message>
    <message>
        <source>Do not receive traces (this run only).</source>
        <translation>Keine Traces empfangen (nur für diesen Lauf).</translation>
    </message>
    <message>
        <source>Log every request of the receiver to stderr.</source>
        <translation>Jede Anfrage an den Empfänger auf stderr protokollieren.</translation>
    </message>
    <message>
        <source>Trace files to import (OTLP JSON, JSON lines, protobuf).</source>
        <translation>Zu importierende Trace-Dateien (OTLP-JSON, JSON-Zeilen, Protobuf).</translation>
    </message>
    <message>
        <source>AgentOps Monitor</source>
        <translation>AgentOps Monitor</translation>
    </message>
    <message>
        <source>Check the installation: receive one OTLP request on a free port into a temporary database, check that it is stored and listed, and exit (0: passed).</source>
        <translation>Installation prüfen: eine OTLP-Anfrage auf einem freien Port in eine temporäre Datenbank empfangen, prüfen, dass sie gespeichert und aufgelistet wird, und beenden (0: bestanden).</translation>
    </message>
    <message>
        <source>Receive OTLP/gRPC on this port (this run only).</source>
        <translation>OTLP/gRPC auf diesem Port empfangen (nur für diesen Lauf).</translation>
    </message>
</context>
</TS>
