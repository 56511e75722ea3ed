{{/* The chart name, or nameOverride. */}}
{{- define "oos.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The prefix of every object name: fullnameOverride, else the release name when it contains the
chart name (`helm install oos` gives `oos`), else <release>-<chart>. Kept short enough for the
longest suffix (-require-anchor-binding, 23 characters) to fit 63.
*/}}
{{- define "oos.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "oos.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "oos.selectorLabels" -}}
app.kubernetes.io/name: {{ include "oos.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "oos.labels" -}}
helm.sh/chart: {{ include "oos.chart" . }}
{{ include "oos.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: oos
{{- end }}

{{/* The ServiceAccount, and the username the operator's own requests carry. */}}
{{- define "oos.serviceAccountName" -}}
{{- include "oos.fullname" . }}
{{- end }}

{{- define "oos.operatorUser" -}}
{{- printf "system:serviceaccount:%s:%s" .Release.Namespace (include "oos.serviceAccountName" .) }}
{{- end }}

{{/* The Service in front of the webhook (--service-name). */}}
{{- define "oos.serviceName" -}}
{{- printf "%s-webhook" (include "oos.fullname" .) }}
{{- end }}

{{/* The Secret with the serving certificate: self-managed (--tls-secret) or cert-manager's. */}}
{{- define "oos.tlsSecretName" -}}
{{- printf "%s-webhook-tls" (include "oos.fullname" .) }}
{{- end }}

{{/* The cert-manager Certificate of the webhook Service. */}}
{{- define "oos.certificateName" -}}
{{- printf "%s-webhook" (include "oos.fullname" .) }}
{{- end }}

{{- define "oos.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The namespaces admission never looks at (webhooks/registration.ts SYSTEM_NAMESPACES plus the
operator's own), so a broken oos can never block the control plane or its own recovery.
*/}}
{{- define "oos.excludedNamespaces" -}}
{{- list "kube-system" "kube-node-lease" "kube-public" .Release.Namespace | uniq | toJson }}
{{- end }}

{{/* A JSON list of globs as one anchored RE2 alternation (`*` matches any run of characters). */}}
{{- define "oos.globRegex" -}}
{{- $parts := list }}
{{- range . }}
{{- $parts = append $parts (regexQuoteMeta . | replace "\\*" ".*") }}
{{- end }}
{{- printf "^(?:%s)$" (join "|" $parts) }}
{{- end }}

{{/* The settings every webhook shares (webhooks/registration.ts common()). */}}
{{- define "oos.webhookCommon" -}}
admissionReviewVersions: [v1]
sideEffects: None
failurePolicy: Fail
matchPolicy: Equivalent
timeoutSeconds: {{ .Values.webhook.timeoutSeconds }}
namespaceSelector:
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values: {{ include "oos.excludedNamespaces" . }}
{{- end }}

{{/* The same for the oos kinds and Namespaces: only the system namespaces are skipped (an
Exemption in the release namespace may cover others, so it is judged like any). */}}
{{- define "oos.governanceWebhookCommon" -}}
admissionReviewVersions: [v1]
sideEffects: None
failurePolicy: Fail
matchPolicy: Equivalent
timeoutSeconds: {{ .Values.webhook.timeoutSeconds }}
namespaceSelector:
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values: ["kube-system","kube-node-lease","kube-public"]
{{- end }}


{{/*
The CEL variables of the fallback policy for one side of a request: root "object" (prefix "")
or "oldObject" (prefix "old": `oldPod`, `oldLabelSets`, …; empty on CREATE, where oldObject is
null). `pod` holds the pod's metadata and spec: the Pod itself, the pod template, or the
CronJob's job template's pod template. Every access is guarded with has(): no evaluation errors.
*/}}
{{- define "oos.anchorVariables" -}}
{{- $r := .root -}}
{{- $n := dict -}}
{{- range list "pod" "labelSets" "containers" "anchored" "labelled" "accelerated" "aiImage" "credential" "claimed" "unanchoredAI" -}}
{{- $_ := set $n . (ternary . (printf "%s%s" $.prefix (title .)) (eq $.prefix "")) -}}
{{- end -}}
{{- $pod := printf "variables.%s" $n.pod -}}
{{- $c := printf "variables.%s" $n.containers -}}
- name: {{ $n.pod }}
  expression: >-
    {{ $r }} == null ? {} :
    request.kind.kind == 'Pod' ? dyn({{ $r }}) :
    request.kind.kind == 'CronJob' ?
    (has({{ $r }}.spec) && has({{ $r }}.spec.jobTemplate) && has({{ $r }}.spec.jobTemplate.spec) &&
    has({{ $r }}.spec.jobTemplate.spec.template) ? dyn({{ $r }}.spec.jobTemplate.spec.template) : {}) :
    (has({{ $r }}.spec) && has({{ $r }}.spec.template) ? dyn({{ $r }}.spec.template) : {})
- name: {{ $n.labelSets }}
  expression: >-
    [{{ $r }} != null && has({{ $r }}.metadata) && has({{ $r }}.metadata.labels) ? dyn({{ $r }}.metadata.labels) : {},
    request.kind.kind != 'Pod' && has({{ $pod }}.metadata) && has({{ $pod }}.metadata.labels) ?
    dyn({{ $pod }}.metadata.labels) : {}]
- name: {{ $n.containers }}
  expression: >-
    (has({{ $pod }}.spec) && has({{ $pod }}.spec.containers) ? {{ $pod }}.spec.containers : []) +
    (has({{ $pod }}.spec) && has({{ $pod }}.spec.initContainers) ? {{ $pod }}.spec.initContainers : []) +
    (has({{ $pod }}.spec) && has({{ $pod }}.spec.ephemeralContainers) ? {{ $pod }}.spec.ephemeralContainers : [])
- name: {{ $n.anchored }}
  expression: >-
    variables.{{ $n.labelSets }}.exists(l, 'oos.dev/capability' in l && l['oos.dev/capability'] != '')
- name: {{ $n.labelled }}
  expression: >-
    variables.{{ $n.labelSets }}.exists(l, 'oos.dev/ai-workload' in l && l['oos.dev/ai-workload'] == 'true')
- name: {{ $n.accelerated }}
  expression: >-
    {{ $c }}.exists(c, has(c.resources) &&
    ((has(c.resources.limits) && c.resources.limits.exists(r, r.matches(r'{{ .regex.accelerators }}') && string(c.resources.limits[r]) != '0')) ||
    (has(c.resources.requests) && c.resources.requests.exists(r, r.matches(r'{{ .regex.accelerators }}') && string(c.resources.requests[r]) != '0'))))
- name: {{ $n.aiImage }}
  expression: >-
    {{ $c }}.exists(c, has(c.image) && c.image.matches(r'{{ .regex.images }}'))
- name: {{ $n.credential }}
  expression: >-
    {{ $c }}.exists(c, (has(c.env) && c.env.exists(e, e.name.matches(r'{{ .regex.env }}'))) ||
    (has(c.envFrom) && c.envFrom.exists(f,
    (has(f.secretRef) && has(f.secretRef.name) && f.secretRef.name.matches(r'{{ .regex.sources }}')) ||
    (has(f.configMapRef) && has(f.configMapRef.name) && f.configMapRef.name.matches(r'{{ .regex.sources }}')))))
- name: {{ $n.claimed }}
  expression: >-
    {{ if .regex.claims }}has({{ $pod }}.spec) && has({{ $pod }}.spec.resourceClaims) && size({{ $pod }}.spec.resourceClaims) > 0{{ else }}false{{ end }}
- name: {{ $n.unanchoredAI }}
  expression: >-
    !variables.{{ $n.anchored }} && (variables.{{ $n.labelled }} || variables.{{ $n.accelerated }} ||
    variables.{{ $n.aiImage }} || variables.{{ $n.credential }} || variables.{{ $n.claimed }})
{{- end }}
